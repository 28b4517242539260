import Signatures

/// `source.verify`: which signatures make a version trusted. Kept as given
/// (so requests compare by value); `policy()` reads keys, patterns and the
/// trusted root, and runs once while the request is read, so a bad entry
/// fails the request before any work.
public struct VerifySettings: Equatable, Sendable, JSONObjectReadable {
    public var publicKeys: [String] = []
    public var identities: [VerificationPolicy.Identity] = []
    public var trustedRoot: String?
    public var repository: String?
    public var requireTransparencyLog = false

    public init() {}

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        publicKeys = try reader.stringArray("public_keys")
        if let value = reader.value("identities") {
            guard case .array(let elements) = value else {
                throw .wrongType(field: "\(reader.path).identities", expected: "array of objects", found: value.typeName)
            }
            for (position, element) in elements.enumerated() {
                var entry = try JSONObjectReader(element, path: "\(reader.path).identities[\(position)]")
                identities.append(.init(issuer: try entry.requiredString("issuer"), subject: try entry.requiredString("subject")))
                try entry.finish()
            }
        }
        trustedRoot = try reader.string("trusted_root").flatMap { $0.isEmpty ? nil : $0 }
        repository = try reader.string("repository").flatMap { $0.isEmpty ? nil : $0 }
        requireTransparencyLog = try reader.bool("require_tlog")
        _ = try policy(path: reader.path)
    }

    /// The policy these settings describe; a bad entry names its field.
    public func policy(path: String = "source.verify") throws(RequestError) -> VerificationPolicy {
        do {
            return try VerificationPolicy(
                publicKeysPEM: publicKeys, identities: identities, trustedRootJSON: trustedRoot, repository: repository,
                requireTransparencyLog: requireTransparencyLog)
        } catch {
            switch error {
            case .malformed(let what, let reason):
                let field = what == "verify" ? path : what == "trusted root" ? "\(path).trusted_root" : "\(path).\(what)"
                throw .invalidValue(field: field, reason: reason)
            case .rejected(let reason), .untrusted(_, let reason):
                throw .invalidValue(field: path, reason: reason)
            }
        }
    }
}
