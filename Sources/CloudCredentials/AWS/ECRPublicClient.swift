import FoundationEssentials
import OCIModel
import RegistryClient

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
        let body = Array("{}".utf8)
        let url = endpoint.path.isEmpty ? endpoint.appendingPathComponent("") : endpoint
        let signer = SigV4Signer(credentials: credentials, region: ECRPublicLogin.apiRegion, service: "ecr-public")
        let headers = signer.signedHeaders(
            method: "POST", url: url,
            headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"),
                      (name: "X-Amz-Target", value: "SpencerFrontendService.GetAuthorizationToken")],
            body: body)
        let what = "ECR Public GetAuthorizationToken"
        let response = try http.send(HTTPRequest(method: .post, url: url, headers: headers, body: Data(body)), what: what)
        guard response.isSuccess else {
            throw .refused(what: what, status: response.status,
                           detail: AWSErrorBody.summary(String(decoding: response.body, as: UTF8.self)))
        }
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
