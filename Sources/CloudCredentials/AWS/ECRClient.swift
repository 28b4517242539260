import FoundationEssentials
import OCIModel
import RegistryClient

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
        let body = Array("{}".utf8)
        let url = endpoint.path.isEmpty ? endpoint.appendingPathComponent("") : endpoint
        let signer = SigV4Signer(credentials: credentials, region: region, service: "ecr")
        let headers = signer.signedHeaders(
            method: "POST", url: url,
            headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"),
                      (name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken")],
            body: body)
        let what = "ECR GetAuthorizationToken"
        let response = try http.send(HTTPRequest(method: .post, url: url, headers: headers, body: Data(body)), what: what)
        guard response.isSuccess else {
            throw .refused(what: what, status: response.status,
                           detail: AWSErrorBody.summary(String(decoding: response.body, as: UTF8.self)))
        }
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
        guard let raw = Data(base64Encoded: token) else {
            throw .badResponse(what: what, reason: "authorization token is not base64")
        }
        // As upstream: exactly one ':' separates user and password.
        let parts = String(decoding: raw, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .badResponse(what: what, reason: "failed to parse password") }
        let password = parts[1].trimmingWhitespace(newlines: true)
        var host = proxy
        if host.hasPrefix("https://") { host.removeFirst("https://".count) }
        return Authorization(password: password, proxyHost: host)
    }
}
