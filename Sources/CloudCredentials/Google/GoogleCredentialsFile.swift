import FoundationEssentials

/// A Google credentials JSON file (a key file's text in
/// `source.google_credentials`, or the file `GOOGLE_APPLICATION_CREDENTIALS`
/// names), with the fields of the types read here: `service_account`,
/// `external_account` (workload identity federation) and `authorized_user`
/// (gcloud's application default credentials).
struct GoogleCredentialsFile: Decodable, Sendable {
    let type: String?
    // service_account
    let client_email: String?
    let private_key: String?
    let private_key_id: String?
    let token_uri: String?
    // external_account
    let audience: String?
    let subject_token_type: String?
    let token_url: String?
    let service_account_impersonation_url: String?
    let service_account_impersonation: ImpersonationOptions?
    let credential_source: CredentialSource?
    let workforce_pool_user_project: String?
    // external_account (optional client authentication) and authorized_user
    let client_id: String?
    let client_secret: String?
    let refresh_token: String?

    struct ImpersonationOptions: Decodable, Sendable {
        let token_lifetime_seconds: Int?
    }

    struct CredentialSource: Decodable, Sendable {
        let file: String?
        let url: String?
        let headers: [String: String]?
        let format: Format?
        let environment_id: String?
        let executable: Executable?

        struct Format: Decodable, Sendable {
            let type: String?
            let subject_token_field_name: String?
        }

        struct Executable: Decodable, Sendable {
            let command: String?
        }
    }

    static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    /// `token_uri` (service_account, authorized_user), Google's when absent or empty.
    var tokenURI: String { token_uri.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultTokenURI }

    /// `origin` names the text in errors ("google_credentials", a path); the
    /// text itself is never quoted (it holds a private key).
    static func parse(_ text: String, origin: String) throws(CloudAuthError) -> GoogleCredentialsFile {
        do {
            return try JSONDecoder().decode(GoogleCredentialsFile.self, from: Data(text.utf8))
        } catch {
            throw .configuration("\(origin) is not a Google credentials JSON file")
        }
    }

    static func read(path: String, origin: String) throws(CloudAuthError) -> GoogleCredentialsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("\(origin) '\(path)' cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), origin: "\(origin) '\(path)'")
    }
}
