import FoundationEssentials
import OCIModel
import RegistryClient

/// ECS (and EKS Pod Identity) container credentials:
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` under `http://169.254.170.2`, or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with `AWS_CONTAINER_AUTHORIZATION_TOKEN`
/// (or the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`) as `Authorization`.
struct ContainerCredentials {
    let url: URL
    let authorization: String?
    let http: CloudHTTPClient

    /// nil when neither variable is set.
    static func endpoint(environment: [String: String]) throws(CloudAuthError) -> (URL, String?)? {
        let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"].flatMap { $0.isEmpty ? nil : $0 }
        let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"].flatMap { $0.isEmpty ? nil : $0 }
        let text: String
        if let relative {
            text = "http://169.254.170.2" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full {
            text = full
        } else {
            return nil
        }
        guard let url = URL(string: text), url.host != nil else {
            throw .configuration("container credentials URI '\(text)' is not a URL")
        }
        var authorization = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if authorization == nil, let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .configuration("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(file)' cannot be read")
            }
            authorization = String(decoding: data, as: UTF8.self).trimmingWhitespace(newlines: true)
        }
        return (url, authorization)
    }

    func fetch() throws(CloudAuthError) -> AWSCredentials {
        let what = "container credentials (\(url.redactedForLog))"
        let response = try http.send(
            HTTPRequest(method: .get, url: url, headers: authorization.map { [(name: "Authorization", value: $0)] } ?? []),
            what: what)
        guard response.isSuccess else { throw .refused(what: what, status: response.status, detail: "") }
        return try MetadataCredentialsDocument.credentials(from: response.body, what: what, origin: "container credentials")
    }
}
