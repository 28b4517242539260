/// Why a signature, key, certificate, bundle or trusted root was refused.
/// Every case reads as one line and never carries key material.
public enum SignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A document (bundle, trusted root, payload, key) could not be read.
    case malformed(what: String, reason: String)
    /// A signature, certificate or log entry was read but did not verify.
    case rejected(reason: String)
    /// No signature attached to the digest verified under the policy.
    case untrusted(digest: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let what, let reason): "malformed \(what): \(reason)"
        case .rejected(let reason): reason
        case .untrusted(let digest, let reason): "\(digest) is not trusted: \(reason)"
        }
    }
}
