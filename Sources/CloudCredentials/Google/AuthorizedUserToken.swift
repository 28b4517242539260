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
        guard let url = URL(string: file.tokenURI), url.host != nil else {
            throw .configuration("the authorized_user credentials' token_uri is not a URL")
        }
        return try OAuthTokenAnswer.post(
            [("grant_type", "refresh_token"), ("client_id", clientID), ("client_secret", secret), ("refresh_token", refresh)],
            to: url, http: http, what: "authorized user token (POST \(url.redactedForLog))")
    }
}
