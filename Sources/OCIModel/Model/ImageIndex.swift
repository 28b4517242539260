
/// An image index (OCI) or manifest list (Docker): manifests for several
/// platforms, or, in an OCI layout's `index.json`, several tagged images.
public struct ImageIndex: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(
        schemaVersion: Int = 2, mediaType: String? = MediaType.ociIndex, manifests: [Descriptor],
        annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }
}
