/// Why a cloud login (ECR or ACR) failed. Each reads as one line and never
/// carries a secret, a session token or an access token.
public enum CloudAuthError: Error, Equatable, CustomStringConvertible {
    /// A source setting that cannot work (both role fields, bad ca_certs).
    case configuration(String)
    /// No credential provider yielded credentials; the reasons per provider.
    case noCredentials([String])
    /// A service could not be reached at all.
    case unreachable(what: String, reason: String)
    /// A service answered with an error status.
    case refused(what: String, status: Int, detail: String)
    /// A service answered 2xx with something unusable.
    case badResponse(what: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let text): text
        case .noCredentials(let reasons):
            "no AWS credentials found (tried: \(reasons.joined(separator: "; ")))"
        case let .unreachable(what, reason): "\(what) failed: \(reason)"
        case let .refused(what, status, detail): "\(what) returned HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case let .badResponse(what, reason): "\(what) returned an unusable answer: \(reason)"
        }
    }
}
