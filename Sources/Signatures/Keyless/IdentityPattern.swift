import FoundationEssentials

/// A keyless identity a policy trusts: regular expressions for the
/// certificate's OIDC issuer and its subject (SAN email or URI), each matched
/// against the whole value, as if anchored (`^…$`): a substring match fails.
public struct IdentityPattern: Sendable, CustomStringConvertible {
    public let issuer: String
    public let subject: String

    public init(issuer: String, subject: String) throws(SignatureError) {
        for (field, pattern) in [("issuer", issuer), ("subject", subject)] where (try? Regex(pattern)) == nil {
            throw .malformed(what: "identity", reason: "\(field) is not a regular expression")
        }
        self.issuer = issuer
        self.subject = subject
    }

    public var description: String { "subject \(subject), issuer \(issuer)" }

    func matches(issuer value: String) -> Bool { Self.wholeMatch(issuer, value) }
    func matches(subject value: String) -> Bool { Self.wholeMatch(subject, value) }

    // Compiled per use: Regex is not Sendable, and a verification matches
    // a handful of values.
    private static func wholeMatch(_ pattern: String, _ value: String) -> Bool {
        guard let regex = try? Regex(pattern).matchingSemantics(.unicodeScalar) else { return false }
        return (try? regex.wholeMatch(in: value)) != nil
    }
}
