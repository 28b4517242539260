
/// An image manifest: one config and ordered layers (OCI manifest or Docker schema 2).
public struct ImageManifest: Codable, Hashable, Sendable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(
        schemaVersion: Int = 2, mediaType: String? = MediaType.ociManifest, config: Descriptor,
        layers: [Descriptor], annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }
}
