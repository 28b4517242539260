import FoundationEssentials

/// The registry repository an image's blobs came from. An OCI layout that
/// `in` or `pull` (or `copy … oci:`) wrote from a registry records it in
/// `blob-origin.json` beside `index.json` (a file OCI tools ignore, like
/// upstream's `single-image-digest`), so that pushing the layout back to the
/// same registry mounts the blobs (`?mount=…&from=…`) instead of sending them.
public struct BlobOrigin: Codable, Sendable, Equatable {
    /// The registry host as references name it (`ImageReference.registry`).
    public var registry: String
    public var repository: String

    public init(registry: String, repository: String) {
        self.registry = registry
        self.repository = repository
    }
}
