/// A version as Concourse stores it: `{"tag": "...", "digest": "sha256:..."}`.
/// A version may carry only a digest (pinned by hand in a pipeline).
public struct ResourceVersion: Equatable, Hashable, Sendable, Encodable {
    public var tag: String?
    public var digest: String

    public init(tag: String?, digest: String) {
        self.tag = tag
        self.digest = digest
    }

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        tag = try reader.stringOrNumber("tag")
        digest = try reader.requiredString("digest")
    }

    private enum CodingKeys: String, CodingKey { case tag, digest }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(tag, forKey: .tag)
        try container.encode(digest, forKey: .digest)
    }
}
