import FoundationEssentials
import Logging

/// What a Google Artifact Registry / Container Registry login needs from a
/// `source` block.
public struct GARLoginSettings: Sendable, Equatable {
    /// `google_credentials`: a credentials JSON file's text, or nil.
    public var credentialsJSON: String?
    public var repository: String

    public init(credentialsJSON: String?, repository: String) {
        self.credentialsJSON = credentialsJSON
        self.repository = repository
    }
}

/// Google's registry login (`google_auth: true`): an OAuth2 access token
/// from the credential chain, then Basic `oauth2accesstoken:<token>`, which
/// Artifact Registry's and Container Registry's token endpoints accept.
public enum GARLogin {
    public static let username = "oauth2accesstoken"

    public static func login(_ settings: GARLoginSettings,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             logger: Logger) throws(CloudAuthError) -> CloudLoginResult {
        // The same settings ask Google once per process (a digest keys the inline key file).
        let cacheKey = ["google", HMACSHA256.sha256Hex(Array((settings.credentialsJSON ?? "").utf8)),
                        environment["GOOGLE_APPLICATION_CREDENTIALS"] ?? "", environment["GCE_METADATA_HOST"] ?? "",
                        settings.repository].joined(separator: "|")
        if let cached = ProcessTokenCache.shared.value(for: cacheKey) { return cached }
        let chain = GoogleCredentialChain(inlineCredentials: settings.credentialsJSON, environment: environment,
                                          logger: logger)
        let token = try chain.token()
        let result = CloudLoginResult(username: username, password: token.value, repository: settings.repository)
        ProcessTokenCache.shared.store(result, for: cacheKey, validFor: token.expiresIn)
        logger.debug("authenticated to Google as \(username) (\(token))")
        return result
    }
}
