import FoundationEssentials
import RegistryClient

/// Workload identity federation (`external_account`): the subject token
/// traded at Google's STS (`token_url`, RFC 8693 token exchange) for a
/// federated access token, then, with `service_account_impersonation_url`,
/// traded again for the service account's token
/// (IAM credentials `generateAccessToken`).
struct ExternalAccountToken {
    let file: GoogleCredentialsFile
    let http: CloudHTTPClient

    func fetch() throws(CloudAuthError) -> GoogleAccessToken {
        guard let audience = file.audience, !audience.isEmpty else {
            throw .configuration("the external_account credentials have no audience")
        }
        guard let tokenType = file.subject_token_type, !tokenType.isEmpty else {
            throw .configuration("the external_account credentials have no subject_token_type")
        }
        guard let source = file.credential_source else {
            throw .configuration("the external_account credentials have no credential_source")
        }
        let tokenURL = file.token_url.flatMap { $0.isEmpty ? nil : $0 } ?? "https://sts.googleapis.com/v1/token"
        guard let stsURL = URL(string: tokenURL), stsURL.host != nil else {
            throw .configuration("the external_account credentials' token_url is not a URL")
        }
        let subject = try SubjectToken(source: source, http: http).read()
        let federated = try exchange(subject, type: tokenType, audience: audience, at: stsURL)
        guard let impersonation = file.service_account_impersonation_url, !impersonation.isEmpty else {
            return federated
        }
        guard let url = URL(string: impersonation), url.host != nil else {
            throw .configuration("service_account_impersonation_url is not a URL")
        }
        return try impersonate(at: url, with: federated)
    }

    private func exchange(_ subject: String, type: String, audience: String, at url: URL) throws(CloudAuthError)
        -> GoogleAccessToken {
        var pairs = [("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"), ("audience", audience),
                     ("scope", ServiceAccountToken.scope),
                     ("requested_token_type", "urn:ietf:params:oauth:token-type:access_token"),
                     ("subject_token", subject), ("subject_token_type", type)]
        var headers: [(name: String, value: String)] = []
        if let id = file.client_id, let secret = file.client_secret, !id.isEmpty, !secret.isEmpty {
            headers.append((name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()))
        } else if let project = file.workforce_pool_user_project, !project.isEmpty {
            pairs.append(("options", #"{"userProject":"\#(project)"}"#))
        }
        return try OAuthTokenAnswer.post(pairs, to: url, headers: headers, http: http,
                                         what: "STS token exchange (POST \(url.redactedForLog))")
    }

    private func impersonate(at url: URL, with federated: GoogleAccessToken) throws(CloudAuthError) -> GoogleAccessToken {
        // `service_account_impersonation.token_lifetime_seconds` (600…43200), else an hour.
        let lifetime = file.service_account_impersonation?.token_lifetime_seconds ?? ServiceAccountToken.lifetime
        let body = #"{"scope":["\#(ServiceAccountToken.scope)"],"lifetime":"\#(lifetime)s"}"#
        let what = "service account impersonation (POST \(url.redactedForLog))"
        let response = try http.send(
            HTTPRequest(method: .post, url: url,
                        headers: [(name: "Content-Type", value: "application/json"),
                                  (name: "Authorization", value: "Bearer \(federated.value)")],
                        body: Data(body.utf8)),
            what: what)
        return try OAuthTokenAnswer.token(from: response, what: what)
    }
}
