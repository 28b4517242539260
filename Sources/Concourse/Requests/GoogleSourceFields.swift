/// The `google_*` fields of `source`: `google_auth: true` logs in to Google
/// Artifact Registry / Container Registry with the worker's Google identity
/// (or `google_credentials`, a credentials JSON file's text), user
/// `oauth2accesstoken` with an OAuth2 access token.
public struct GoogleSourceFields: Equatable, Sendable {
    public var auth: Bool
    public var credentialsJSON: String?

    public init(auth: Bool = false, credentialsJSON: String? = nil) {
        self.auth = auth
        self.credentialsJSON = credentialsJSON
    }

    static let names = ["google_auth", "google_credentials"]

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        auth = try reader.bool("google_auth")
        credentialsJSON = try reader.string("google_credentials").flatMap {
            $0.trimmingWhitespace(newlines: true).isEmpty ? nil : $0
        }
        if credentialsJSON != nil, !auth {
            throw .invalidValue(field: "source.google_credentials", reason: "needs `google_auth: true`")
        }
    }

    /// Refused before any request: the login replaces these.
    func refuseStaticCredentials(username: String?, password: String?) throws(RequestError) {
        guard auth, username != nil || password != nil else { return }
        throw .invalidValue(field: "source.google_auth",
                            reason: "cannot be combined with username/password (the login provides them)")
    }
}
