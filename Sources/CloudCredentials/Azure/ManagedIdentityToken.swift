import FoundationEssentials
import RegistryClient
import Logging

/// An Azure AD access token from the managed-identity endpoint, found the way
/// Azure's SDKs find it: with `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` set
/// (App Service, Container Apps, Functions), that endpoint with
/// `X-IDENTITY-HEADER`; otherwise IMDS with `Metadata: true`, at
/// `AZURE_POD_IDENTITY_AUTHORITY_HOST` when set, else `http://169.254.169.254`.
struct ManagedIdentityToken {
    let resource: String
    /// A user-assigned identity's client id; nil for the system-assigned one.
    let clientID: String?
    let environment: [String: String]
    let logger: Logger

    static let imdsHost = "http://169.254.169.254"

    func fetch() throws(CloudAuthError) -> String {
        let (url, headers, what) = try request()
        // Metadata endpoints are link-local or loopback: direct, quick to give up.
        let http = try CloudHTTPClient(direct: true, connectTimeout: .seconds(2), stallTimeout: .seconds(10), logger: logger)
        let response = try http.send(HTTPRequest(method: .get, url: url, headers: headers), what: what)
        guard response.isSuccess else {
            throw .refused(what: what, status: response.status, detail: ResponseSnippet.of(response.body))
        }
        struct Answer: Decodable { let access_token: String? }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
              let token = answer.access_token, !token.isEmpty else {
            throw .badResponse(what: what, reason: "no access_token")
        }
        return token
    }

    /// The URL (the endpoint's own query kept, ours merged in), headers and a
    /// name for errors.
    func request() throws(CloudAuthError) -> (URL, [(name: String, value: String)], String) {
        var items = [URLQueryItem]()
        let base: String
        let headers: [(name: String, value: String)]
        let what: String
        if let endpoint = value("IDENTITY_ENDPOINT"), let secret = value("IDENTITY_HEADER") {
            base = endpoint
            items.append(URLQueryItem(name: "api-version", value: "2019-08-01"))
            headers = [(name: "X-IDENTITY-HEADER", value: secret)]
            what = "managed identity token (IDENTITY_ENDPOINT)"
        } else {
            let host = value("AZURE_POD_IDENTITY_AUTHORITY_HOST") ?? Self.imdsHost
            base = (host.hasSuffix("/") ? String(host.dropLast()) : host) + "/metadata/identity/oauth2/token"
            items.append(URLQueryItem(name: "api-version", value: "2018-02-01"))
            headers = [(name: "Metadata", value: "true")]
            what = "managed identity token (IMDS)"
        }
        items.append(URLQueryItem(name: "resource", value: resource))
        if let clientID { items.append(URLQueryItem(name: "client_id", value: clientID)) }
        guard var components = URLComponents(string: base), components.host != nil else {
            throw .configuration("managed identity endpoint '\(base)' is not a URL")
        }
        components.percentEncodedQueryItems = (components.percentEncodedQueryItems ?? []) + items.map {
            URLQueryItem(name: $0.name, value: $0.value.map { SigV4Signer.encode($0, keepSlash: false) })
        }
        guard let url = components.url else { throw .configuration("managed identity endpoint '\(base)' is not a URL") }
        return (url, headers, what)
    }

    private func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
}
