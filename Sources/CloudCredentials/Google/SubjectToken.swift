import FoundationEssentials
import OCIModel
import RegistryClient

/// The subject token of an `external_account` file's `credential_source`:
/// a file's contents (re-read at each login: platforms rotate it) or a URL's
/// answer (with the given headers), as text or as a field of a JSON object
/// (`format.type: json`, `format.subject_token_field_name`).
struct SubjectToken {
    let source: GoogleCredentialsFile.CredentialSource
    let http: CloudHTTPClient

    func read() throws(CloudAuthError) -> String {
        let raw: Data
        let origin: String
        if let path = source.file, !path.isEmpty {
            origin = "credential_source.file '\(path)'"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .configuration("\(origin) cannot be read")
            }
            raw = data
        } else if let text = source.url, !text.isEmpty {
            guard let url = URL(string: text), url.host != nil else {
                throw .configuration("credential_source.url is not a URL")
            }
            origin = "credential_source.url \(url.redactedForLog)"
            let headers = (source.headers ?? [:]).sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
            let response = try http.send(HTTPRequest(method: .get, url: url, headers: headers), what: origin)
            guard response.isSuccess else {
                throw .refused(what: origin, status: response.status, detail: ResponseSnippet.of(response.body))
            }
            raw = response.body
        } else if source.environment_id != nil {
            throw .configuration("credential_source.environment_id (AWS or Azure subject tokens) is not supported; "
                + "use a file or url credential source")
        } else if source.executable != nil {
            throw .configuration("credential_source.executable is not supported; use a file or url credential source")
        } else {
            throw .configuration("credential_source has neither file nor url")
        }
        let token: String
        switch source.format?.type ?? "text" {
        case "text":
            token = String(decoding: raw, as: UTF8.self)
        case "json":
            guard let field = source.format?.subject_token_field_name, !field.isEmpty else {
                throw .configuration("credential_source.format json needs subject_token_field_name")
            }
            guard let value = (try? JSONDecoder().decode(StringFields.self, from: raw))?.values[field] else {
                throw .badResponse(what: origin, reason: "no string field '\(field)' in its JSON")
            }
            token = value
        case let other:
            throw .configuration("credential_source.format type '\(other)' is neither text nor json")
        }
        let trimmed = token.trimmingWhitespace(newlines: true)
        guard !trimmed.isEmpty else { throw .badResponse(what: origin, reason: "empty subject token") }
        return trimmed
    }
}

/// A JSON object's string-valued fields (others are passed over).
private struct StringFields: Decodable {
    var values: [String: String] = [:]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if let value = try? container.decode(String.self, forKey: key) { values[key.stringValue] = value }
        }
    }
}
