import FoundationEssentials
import Logging
import OCIModel

/// Decides the `Authorization` header for requests to one registry, from the
/// challenge its `/v2/` endpoint (or a later 401) returned: none, Basic with
/// the credentials, or a Bearer token from the challenge's realm. Tokens are
/// cached per scope for the life of the client. Thread-safe.
/// `@unchecked`: the scheme and token cache are only touched under `lock`.
final class RegistryAuthenticator: @unchecked Sendable {
    private enum Scheme {
        case none
        case basic
        case bearer(AuthChallenge)
    }

    private let registry: String
    private let credentials: RegistryCredentials?
    /// Whether credentials may travel to a plain-http token realm.
    private let insecure: Bool
    private let transport: HTTPTransport
    private let logger: Logger
    private let lock = PosixLock()
    private var scheme: Scheme = .none
    private var tokens: [String: BearerToken] = [:]

    init(registry: String, credentials: RegistryCredentials?, insecure: Bool = false, transport: HTTPTransport,
         logger: Logger) {
        self.insecure = insecure
        self.registry = registry
        self.credentials = credentials
        self.transport = transport
        self.logger = logger
    }

    var hasCredentials: Bool { credentials != nil }

    /// Adopts the strongest challenge offered (Bearer over Basic).
    func adopt(challengeHeaders: [String]) {
        let challenges = challengeHeaders.flatMap(AuthChallenge.parse)
        let chosen: Scheme
        if let bearer = challenges.first(where: { $0.scheme == "bearer" && $0.realm != nil }) {
            chosen = .bearer(bearer)
        } else if challenges.contains(where: { $0.scheme == "basic" }) {
            chosen = .basic
        } else {
            chosen = .none
        }
        lock.withLock { scheme = chosen }
    }

    /// The header value for a request needing `scope`
    /// (`repository:NAME:pull`), fetching a token when none is cached.
    func authorization(scope: String) throws -> String? {
        let (current, cached): (Scheme, BearerToken?) = lock.withLock { (scheme, tokens[scope]) }
        switch current {
        case .none:
            return nil
        case .basic:
            return credentials.map(Self.basic)
        case .bearer(let challenge):
            if let cached, cached.isValid { return "Bearer \(cached.value)" }
            let token = try fetchToken(challenge: challenge, scope: scope)
            lock.withLock { tokens[scope] = token }
            return "Bearer \(token.value)"
        }
    }

    /// After a 401: forget the scope's token and take the new challenge.
    /// Returns whether one more attempt can change the outcome.
    func refresh(afterUnauthorized challengeHeaders: [String], scope: String) -> Bool {
        let before: Scheme = lock.withLock {
            tokens[scope] = nil
            return scheme
        }
        adopt(challengeHeaders: challengeHeaders)
        let after: Scheme = lock.withLock { scheme }
        switch (before, after) {
        case (_, .bearer): return true
        case (.none, .basic): return credentials != nil
        default: return false
        }
    }

    private func fetchToken(challenge: AuthChallenge, scope: String) throws -> BearerToken {
        guard let realm = challenge.realm, var components = URLComponents(string: realm),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw RegistryError.invalidResponse(url: registry, reason: "Bearer challenge without a usable realm")
        }
        var query = components.queryItems ?? []
        if let service = challenge.parameters["service"] { query.append(URLQueryItem(name: "service", value: service)) }
        // An empty scope (login's check) asks for a token for the registry itself.
        if !scope.isEmpty { query.append(URLQueryItem(name: "scope", value: scope)) }
        components.queryItems = query
        guard let url = components.url else {
            throw RegistryError.invalidResponse(url: registry, reason: "Bearer realm '\(realm)' is not a URL")
        }
        // Credentials cross the network to the realm: over plain http only where
        // plain http is allowed at all (insecure, or a loopback/private host).
        if credentials != nil, scheme == "http", !insecure,
           !HostAddress.isLoopbackOrPrivate(components.host ?? "") {
            throw RegistryError.invalidResponse(
                url: url.redactedForLog, reason: "refusing to send credentials to a plain-http token realm")
        }
        var headers: [(name: String, value: String)] = [(name: "Accept", value: MediaType.json)]
        if let credentials { headers.append((name: "Authorization", value: Self.basic(credentials))) }
        let request = HTTPRequest(method: .get, url: url, headers: headers)
        let response: HTTPResponse
        do {
            response = try transport.perform(request) { head in
                (200..<300).contains(head.status) ? .collect(limit: 1 << 20) : .collectPrefix(limit: 64 << 10)
            }
        } catch let error as HTTPTransferError {
            throw RegistryClient.map(error, url: url.redactedForLog)
        }
        switch response.status {
        case 200..<300:
            guard let token = BearerToken.parse(response.body) else {
                throw RegistryError.invalidResponse(url: url.redactedForLog, reason: "token response holds no token")
            }
            logger.debug("obtained token for \(scope) from \(url.redactedForLog)")
            return token
        case 401, 403:
            let fallback = credentials == nil ? "anonymous access refused by the token service"
                : "the token service refused the credentials for \(credentials?.username ?? "")"
            throw RegistryError.unauthorized(registry: registry,
                                             message: RegistryErrorBody.message(from: response.body, fallback: fallback))
        default:
            throw RegistryClient.failure(for: response, what: "token service \(url.redactedForLog)")
        }
    }

    private static func basic(_ credentials: RegistryCredentials) -> String {
        "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }
}
