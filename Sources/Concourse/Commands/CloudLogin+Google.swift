import CloudCredentials
import FoundationEssentials
import Logging

extension CloudLogin {
    /// `google_auth: true`: user `oauth2accesstoken` with a Google access
    /// token from the worker's identity (or `google_credentials`).
    static func applyGoogle(to source: SourceConfiguration, logger: Logger,
                            environment: [String: String]) throws -> SourceConfiguration {
        var source = source
        let settings = GARLoginSettings(credentialsJSON: source.google.credentialsJSON, repository: source.repository)
        do {
            let result = try GARLogin.login(settings, environment: environment, logger: logger)
            source.username = result.username
            source.password = result.password
        } catch {
            throw CloudLoginError.gar(error)
        }
        return source
    }
}
