import FoundationEssentials
import OCIModel

/// ECR Public `GetAuthorizationToken` over the JSON 1.1 protocol (target
/// `SpencerFrontendService`, SigV4 service `ecr-public`, us-east-1).
struct ECRPublicClient {
    let endpoint: URL
    let http: CloudHTTPClient

    private struct Response: Decodable {
        struct Data: Decodable { let authorizationToken: String? }
        let authorizationData: Data?
    }

    /// The password half of the decoded `AWS:<password>` token.
    func password(with credentials: AWSCredentials) throws(CloudAuthError) -> String {
        let what = "ECR Public GetAuthorizationToken"
        let response = try AWSJSONRequest.send(
            target: "SpencerFrontendService.GetAuthorizationToken", to: endpoint, region: ECRPublicLogin.apiRegion,
            service: "ecr-public", credentials: credentials, http: http, what: what)
        guard let decoded = try? JSONDecoder().decode(Response.self, from: response.body),
              let token = decoded.authorizationData?.authorizationToken else {
            throw .badResponse(what: what, reason: "no authorizationData")
        }
        guard let raw = Data(base64Encoded: token) else {
            throw .badResponse(what: what, reason: "authorization token is not base64")
        }
        let parts = String(decoding: raw, as: UTF8.self).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "AWS" else { throw .badResponse(what: what, reason: "failed to parse password") }
        return parts[1].trimmingWhitespace(newlines: true)
    }
}
