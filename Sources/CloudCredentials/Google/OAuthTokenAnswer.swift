import FoundationEssentials
import RegistryClient

/// The access token of an OAuth 2.0 token answer (`access_token`, RFC 6749
/// §5.1; Google's STS and metadata server answer the same way), and of the
/// IAM credentials `generateAccessToken` answer (`accessToken`).
struct OAuthTokenAnswer: Decodable {
    let access_token: String?
    let accessToken: String?
    let expires_in: Int?

    static func token(from response: HTTPResponse, what: String) throws(CloudAuthError) -> GoogleAccessToken {
        guard response.isSuccess else {
            throw .refused(what: what, status: response.status, detail: ResponseSnippet.of(response.body))
        }
        guard let answer = try? JSONDecoder().decode(OAuthTokenAnswer.self, from: response.body),
              let token = answer.access_token ?? answer.accessToken, !token.isEmpty else {
            throw .badResponse(what: what, reason: "no access token")
        }
        return GoogleAccessToken(value: token, expiresIn: answer.expires_in ?? 3600)
    }

    /// POSTs a token request form (RFC 6749 §4) to `url`, `headers` after its
    /// Content-Type, and reads the answer's token.
    static func post(_ form: [(String, String)], to url: URL, headers: [(name: String, value: String)] = [],
                     http: CloudHTTPClient, what: String) throws(CloudAuthError) -> GoogleAccessToken {
        let response = try http.send(
            HTTPRequest(method: .post, url: url, headers: [(name: "Content-Type", value: FormBody.contentType)] + headers,
                        body: Data(FormBody.encode(form).utf8)),
            what: what)
        return try token(from: response, what: what)
    }
}
