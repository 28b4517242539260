import FoundationEssentials
import RegistryClient

/// An `authorized_user` file (gcloud's application default credentials):
/// the OAuth 2.0 refresh-token grant at `token_uri` (default Google's).
struct AuthorizedUserToken {
    let file: GoogleCredentialsFile
    let http: CloudHTTPClient

    func fetch() throws(CloudAuthError) -> GoogleAccessToken {
        guard let clientID = file.client_id, let secret = file.client_secret, let refresh = file.refresh_token,
              !clientID.isEmpty, !secret.isEmpty, !refresh.isEmpty else {
            throw .configuration("the authorized_user credentials need client_id, client_secret and refresh_token")
        }
        let tokenURI = file.token_uri.flatMap { $0.isEmpty ? nil : $0 } ?? GoogleCredentialsFile.defaultTokenURI
        guard let url = URL(string: tokenURI), url.host != nil else {
            throw .configuration("the authorized_user credentials' token_uri is not a URL")
        }
        let form = FormBody.encode([("grant_type", "refresh_token"), ("client_id", clientID), ("client_secret", secret),
                                    ("refresh_token", refresh)])
        let what = "authorized user token (POST \(url.redactedForLog))"
        let response = try http.send(
            HTTPRequest(method: .post, url: url, headers: [(name: "Content-Type", value: FormBody.contentType)],
                        body: Data(form.utf8)),
            what: what)
        return try OAuthTokenAnswer.token(from: response, what: what)
    }
}
