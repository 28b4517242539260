/// Which kind of registry `TestRegistry` starts.
public struct TestRegistryOptions: Sendable, Equatable {
    public enum Auth: Sendable, Equatable {
        /// Anyone may pull and push.
        case none
        /// htpasswd (bcrypt) Basic auth; distribution 2.8 also accepts it over plain HTTP.
        case basic
        /// Bearer tokens from `token_server.py`; with `anonymousPull`, callers
        /// without credentials get pull-only tokens.
        case token(anonymousPull: Bool)
    }

    /// Serve HTTPS with a certificate from a CA generated for this registry.
    public var tls: Bool
    public var auth: Auth
    public var username: String
    public var password: String
    /// With `tls`: more DNS names the certificate is valid for (test host
    /// names reached through a resolving forward proxy).
    public var extraHostNames: [String]
    /// Token variant: the tokens' lifetime in seconds (nil: the token server's 300).
    public var tokenLifetime: Int?
    /// Token variant: the `expires_in` told to clients when it is not the
    /// lifetime, so that a client learns of expiry only from a 401.
    public var advertisedTokenLifetime: Int?

    public init(
        tls: Bool = false, auth: Auth = .none, username: String = "testuser", password: String = "testpassword",
        extraHostNames: [String] = [], tokenLifetime: Int? = nil, advertisedTokenLifetime: Int? = nil
    ) {
        self.extraHostNames = extraHostNames
        self.tls = tls
        self.auth = auth
        self.username = username
        self.password = password
        self.tokenLifetime = tokenLifetime
        self.advertisedTokenLifetime = advertisedTokenLifetime
    }

    public static let plain = TestRegistryOptions()
    public static let tls = TestRegistryOptions(tls: true)
    public static let basicAuth = TestRegistryOptions(tls: true, auth: .basic)
    public static let token = TestRegistryOptions(tls: true, auth: .token(anonymousPull: false))
}
