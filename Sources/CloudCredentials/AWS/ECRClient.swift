import FoundationEssentials

/// ECR `GetAuthorizationToken` over the JSON 1.1 protocol.
struct ECRClient {
    let endpoint: URL
    let region: String
    let http: CloudHTTPClient

    struct Authorization: Sendable {
        /// The password half of the decoded `AWS:<password>` token.
        let password: String
        /// The registry host of `proxyEndpoint` (scheme removed).
        let proxyHost: String
    }

    private struct Response: Decodable {
        struct Data: Decodable {
            let authorizationToken: String?
            let proxyEndpoint: String?
        }
        let authorizationData: [Data]?
    }

    func authorizationToken(with credentials: AWSCredentials) throws(CloudAuthError) -> Authorization {
        let what = "ECR GetAuthorizationToken"
        let response = try AWSJSONRequest.send(
            target: "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken", to: endpoint, region: region,
            service: "ecr", credentials: credentials, http: http, what: what)
        let decoded: Response
        do {
            decoded = try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            throw .badResponse(what: what, reason: "not a GetAuthorizationToken answer")
        }
        guard let first = decoded.authorizationData?.first, let token = first.authorizationToken,
              let proxy = first.proxyEndpoint else {
            throw .badResponse(what: what, reason: "no authorizationData")
        }
        // As upstream: exactly one ':' separates user and password.
        guard let (_, password) = try ECRAuthorizationToken.parts(token, what: what), !password.contains(":") else {
            throw .badResponse(what: what, reason: "failed to parse password")
        }
        var host = proxy
        if host.hasPrefix("https://") { host.removeFirst("https://".count) }
        return Authorization(password: password, proxyHost: host)
    }
}
