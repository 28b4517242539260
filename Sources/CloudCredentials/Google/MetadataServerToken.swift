import FoundationEssentials
import Logging
import RegistryClient

/// The default service account's token from the GCE / GKE / Cloud Run
/// metadata server: `GET /computeMetadata/v1/instance/service-accounts/default/token`
/// with `Metadata-Flavor: Google`, at `GCE_METADATA_HOST` (a host[:port])
/// when set, else `metadata.google.internal`. Link-local: never proxied,
/// quick to give up.
struct MetadataServerToken {
    let environment: [String: String]
    let logger: Logger

    static let defaultHost = "metadata.google.internal"
    static let tokenPath = "/computeMetadata/v1/instance/service-accounts/default/token"

    var host: String { environment["GCE_METADATA_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultHost }

    func fetch() throws(CloudAuthError) -> GoogleAccessToken {
        guard let url = URL(string: "http://\(host)\(Self.tokenPath)"), url.host != nil else {
            throw .configuration("GCE_METADATA_HOST '\(host)' is not a host")
        }
        let http = try CloudHTTPClient(direct: true, connectTimeout: .seconds(2), stallTimeout: .seconds(5), attempts: 2,
                                       logger: logger)
        let what = "metadata server token (\(url.absoluteString))"
        let response = try http.send(
            HTTPRequest(method: .get, url: url, headers: [(name: "Metadata-Flavor", value: "Google")]), what: what)
        return try OAuthTokenAnswer.token(from: response, what: what)
    }
}
