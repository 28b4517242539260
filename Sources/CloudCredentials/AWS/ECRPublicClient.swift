import FoundationEssentials

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
        guard let (user, password) = try ECRAuthorizationToken.parts(token, what: what), user == "AWS" else {
            throw .badResponse(what: what, reason: "failed to parse password")
        }
        return password
    }
}
