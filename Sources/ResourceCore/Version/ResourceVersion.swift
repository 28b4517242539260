/// A version of this resource as Concourse stores it:
/// `{"tag": "...", "digest": "sha256:..."}`. `check` always names a tag; a
/// version given to `in` may carry only a digest (pinned by hand), and is
/// echoed back as it came.
public struct ResourceVersion: Encodable, Equatable, Hashable, Sendable {
    public var tag: String?
    public var digest: String

    public init(tag: String?, digest: String) {
        self.tag = tag
        self.digest = digest
    }

    private enum CodingKeys: String, CodingKey { case tag, digest }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(tag, forKey: .tag)
        try container.encode(digest, forKey: .digest)
    }
}
