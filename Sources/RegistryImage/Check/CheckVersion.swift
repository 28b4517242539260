/// A Concourse version of this resource: `{"tag": "...", "digest": "sha256:..."}`.
/// As upstream, a missing `tag` decodes as the empty string (Concourse may hold
/// versions with only a digest).
public struct CheckVersion: Codable, Equatable, Hashable, Sendable {
    public var tag: String
    public var digest: String

    public init(tag: String, digest: String) {
        self.tag = tag
        self.digest = digest
    }

    private enum CodingKeys: String, CodingKey { case tag, digest }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tag = try container.decodeIfPresent(String.self, forKey: .tag) ?? ""
        digest = try container.decodeIfPresent(String.self, forKey: .digest) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tag, forKey: .tag)
        try container.encode(digest, forKey: .digest)
    }
}
