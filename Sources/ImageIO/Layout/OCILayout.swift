import FoundationEssentials
import OCIModel

/// File names of the OCI image layout (image-spec "OCI Image Layout").
enum OCILayout {
    static let layoutFile = "oci-layout"
    static let indexFile = "index.json"
    /// Upstream's marker: the layout wraps this one image (written by `in`).
    static let singleImageDigestFile = "single-image-digest"
    /// Where the blobs came from (`BlobOrigin`, JSON), for mounting on push.
    static let blobOriginFile = "blob-origin.json"
    static let layoutVersionJSON = #"{"imageLayoutVersion":"1.0.0"}"#

    /// An `index.json` listing one root, tagged `refName` when given (a
    /// layout directory's and an OCI archive's alike).
    static func index(listing root: Descriptor, refName: String?) throws -> Data {
        var entry = root
        if let refName { entry.refName = refName }
        return try JSONOutput.encode(ImageIndex(manifests: [entry]))
    }
}
