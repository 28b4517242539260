
/// A reference to content: its media type, digest and size (OCI image-spec
/// "Content Descriptors"). Field names and optionality follow the spec's JSON.
public struct Descriptor: Codable, Hashable, Sendable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    public var platform: Platform?
    public var artifactType: String?

    public init(
        mediaType: String, digest: Digest, size: Int64, urls: [String]? = nil,
        annotations: [String: String]? = nil, platform: Platform? = nil, artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.platform = platform
        self.artifactType = artifactType
    }

    /// The `org.opencontainers.image.ref.name` annotation OCI layouts use for tags.
    public var refName: String? {
        get { annotations?[Descriptor.refNameAnnotation] }
        set {
            var annotations = self.annotations ?? [:]
            annotations[Descriptor.refNameAnnotation] = newValue
            self.annotations = annotations.isEmpty ? nil : annotations
        }
    }
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
}

// Digest lives in FastExtract, which has no JSON; the conformance is added where JSON is spoken.
extension Digest: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
