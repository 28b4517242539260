import FoundationEssentials
import Logging

/// Google's registry login (`google_auth: true`): an OAuth2 access token
/// from the credential chain, then Basic `oauth2accesstoken:<token>`, which
/// Artifact Registry's and Container Registry's token endpoints accept.
public struct GARLogin: Sendable, Equatable {
    public static let username = "oauth2accesstoken"

    /// `google_credentials`: a credentials JSON file's text, or nil.
    public var credentialsJSON: String?
    public var repository: String

    public init(credentialsJSON: String?, repository: String) {
        self.credentialsJSON = credentialsJSON
        self.repository = repository
    }

    public func login(environment: [String: String], logger: Logger) throws(CloudAuthError) -> CloudLoginResult {
        // The same settings ask Google once per process (a digest keys the inline key file).
        let cacheKey = ["google", HMACSHA256.sha256Hex(Array((credentialsJSON ?? "").utf8)),
                        environment["GOOGLE_APPLICATION_CREDENTIALS"] ?? "", environment["GCE_METADATA_HOST"] ?? "",
                        repository].joined(separator: "|")
        if let cached = ProcessTokenCache.shared.value(for: cacheKey) { return cached }
        let chain = GoogleCredentialChain(inlineCredentials: credentialsJSON, environment: environment, logger: logger)
        let token = try chain.token()
        let result = CloudLoginResult(username: Self.username, password: token.value, repository: repository)
        ProcessTokenCache.shared.store(result, for: cacheKey, validFor: token.expiresIn)
        logger.debug("authenticated to Google as \(Self.username) (\(token))")
        return result
    }
}
