import FoundationEssentials

/// The payload cosign signs for an image (containers/image "simple signing",
/// media type `application/vnd.dev.cosign.simplesigning.v1+json`):
/// `{"critical": {"identity": {"docker-reference": …}, "image":
/// {"docker-manifest-digest": "sha256:…"}, "type": "cosign container image
/// signature"}, "optional": {…}}`.
public struct SimpleSigningPayload: Codable, Sendable {
    public var critical: Critical
    public var optional: [String: String]?

    public static let mediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
    public static let signatureType = "cosign container image signature"

    public struct Critical: Codable, Sendable {
        public var identity: Identity
        public var image: Image
        public var type: String

        public struct Identity: Codable, Sendable {
            public var dockerReference: String
            enum CodingKeys: String, CodingKey { case dockerReference = "docker-reference" }
        }

        public struct Image: Codable, Sendable {
            public var dockerManifestDigest: String
            enum CodingKeys: String, CodingKey { case dockerManifestDigest = "docker-manifest-digest" }
        }
    }

    public init(dockerReference: String, digest: String, optional: [String: String]? = nil) {
        critical = Critical(identity: .init(dockerReference: dockerReference),
                            image: .init(dockerManifestDigest: digest), type: Self.signatureType)
        self.optional = optional
    }

    /// Reads a payload and checks that it speaks of `digest` as a cosign signature.
    public init(json: Data, expecting digest: String) throws(SignatureError) {
        guard let decoded = try? JSONDecoder().decode(SimpleSigningPayload.self, from: json) else {
            throw .malformed(what: "signature payload", reason: "not a simple-signing payload")
        }
        guard decoded.critical.type == Self.signatureType else {
            throw .rejected(reason: "payload type is \"\(decoded.critical.type)\", not \"\(Self.signatureType)\"")
        }
        guard decoded.critical.image.dockerManifestDigest == digest else {
            throw .rejected(reason: "payload names \(decoded.critical.image.dockerManifestDigest), not \(digest)")
        }
        self = decoded
    }
}
