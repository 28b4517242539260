import FoundationEssentials

/// An in-toto statement (v0.1 or v1) as a DSSE envelope carries it: what it
/// speaks of (`subject`, by digest) and what it says (`predicateType`).
public struct InTotoStatement: Codable, Sendable {
    public var type: String
    public var subject: [Subject]
    public var predicateType: String
    /// Written empty by the signer; never read: a predicate may hold any JSON.
    public var predicate: [String: String]?

    public static let typeV1 = "https://in-toto.io/Statement/v1"
    public static let typeV01 = "https://in-toto.io/Statement/v0.1"

    public struct Subject: Codable, Sendable {
        public var name: String
        public var digest: [String: String]
        public init(name: String, digest: [String: String]) {
            self.name = name
            self.digest = digest
        }
    }

    enum CodingKeys: String, CodingKey {
        case type = "_type"
        case subject, predicateType, predicate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        subject = try container.decode([Subject].self, forKey: .subject)
        predicateType = try container.decode(String.self, forKey: .predicateType)
        predicate = nil
    }

    public init(subject: [Subject], predicateType: String) {
        type = Self.typeV1
        self.subject = subject
        self.predicateType = predicateType
        predicate = [:]
    }

    /// Reads a statement and checks that one of its subjects is `digest` (`sha256:<hex>`).
    public init(json: Data, expecting digest: String) throws(SignatureError) {
        guard let decoded = try? JSONDecoder().decode(InTotoStatement.self, from: json),
              [Self.typeV1, Self.typeV01].contains(decoded.type) else {
            throw .malformed(what: "DSSE payload", reason: "not an in-toto statement")
        }
        let parts = digest.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, decoded.subject.contains(where: { $0.digest[parts[0]] == parts[1] }) else {
            throw .rejected(reason: "the in-toto statement's subject is not \(digest)")
        }
        self = decoded
    }
}
