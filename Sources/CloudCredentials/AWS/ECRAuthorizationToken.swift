import FoundationEssentials
import OCIModel

/// The `authorizationToken` ECR and ECR Public return: base64 of
/// `<user>:<password>`; each caller checks the parts as its upstream does.
enum ECRAuthorizationToken {
    /// The user (before the first ':') and the rest, trimmed; nil without a ':'.
    static func parts(_ token: String, what: String) throws(CloudAuthError) -> (user: Substring, password: String)? {
        guard let raw = Data(base64Encoded: token) else {
            throw .badResponse(what: what, reason: "authorization token is not base64")
        }
        let parts = String(decoding: raw, as: UTF8.self).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (parts[0], parts[1].trimmingWhitespace(newlines: true))
    }
}
