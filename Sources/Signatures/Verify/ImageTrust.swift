import FoundationEssentials
import OCIModel

/// A digest found trusted: which signatures verified and by whom.
public struct ImageTrust: Sendable {
    /// The digest whose signature verified (the index, or the platform's manifest).
    public var digest: Digest
    public var signatures: [VerifiedSignature]
    /// Who signed, for `signed_by`: the first verified signature's signer.
    public var signedBy: String { signatures.first?.signer ?? "" }
}

/// One signature that verified.
public struct VerifiedSignature: Encodable, Sendable, Equatable {
    public var digest: String
    public var location: String
    /// `sha256:<hex of SPKI>` of the key, or `subject (issuer)` of the certificate.
    public var signer: String
    /// `key` or `certificate`.
    public var kind: String
    /// When a transparency log recorded it (Unix seconds), when one was checked.
    public var integratedTime: Int64?
}
