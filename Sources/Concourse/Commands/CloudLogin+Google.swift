import CloudCredentials
import Logging

extension CloudLogin {
    /// `google_auth: true`: user `oauth2accesstoken` with a Google access
    /// token from the worker's identity (or `google_credentials`).
    static func applyGoogle(to source: SourceConfiguration, logger: Logger,
                            environment: [String: String]) throws -> SourceConfiguration {
        var source = source
        let login = GARLogin(credentialsJSON: source.google.credentialsJSON, repository: source.repository)
        try signIn(&source, failure: CloudLoginError.gar) { () throws(CloudAuthError) in
            try login.login(environment: environment, logger: logger)
        }
        return source
    }
}
