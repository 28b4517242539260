
/// File names of the OCI image layout (image-spec "OCI Image Layout").
enum OCILayout {
    static let layoutFile = "oci-layout"
    static let indexFile = "index.json"
    /// Upstream's marker: the layout wraps this one image (written by `in`).
    static let singleImageDigestFile = "single-image-digest"
    /// Where the blobs came from (`BlobOrigin`, JSON), for mounting on push.
    static let blobOriginFile = "blob-origin.json"
    static let layoutVersionJSON = #"{"imageLayoutVersion":"1.0.0"}"#
}
