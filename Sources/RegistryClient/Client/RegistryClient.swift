import FoundationEssentials
import Logging
import OCIModel
import Synchronization

/// A client for one repository on one registry (distribution API v2 / OCI
/// distribution-spec). Calls block; use it from threads, not async tasks.
/// Concurrent calls are safe: each borrows its own libcurl handle.
///
/// Operations live in extensions by concern: `+Requests` (auth, redirects,
/// retries), `+Manifests`, `+Blobs`, `+Tags`, `+ConcurrentHeads` and
/// `+Uploads`, all on the same primitives.
///
/// `@unchecked`: its parts are immutable or thread-safe (transport, authenticator, Mutex).
public final class RegistryClient: @unchecked Sendable {
    public let registry: String
    public let repository: String
    let options: RegistryOptions
    let logger: Logger
    let transport: HTTPTransport
    let authenticator: RegistryAuthenticator
    /// A configuration problem (bad `ca_certs`) reported by the first call.
    let configurationError: RegistryError?

    private let resolvedBase = Mutex<URL?>(nil)

    public convenience init(reference: ImageReference, options: RegistryOptions = RegistryOptions(),
                            logger: Logger = Logger(label: "registry-image.registry")) {
        self.init(registry: reference.registry, repository: reference.repository, options: options, logger: logger)
    }

    public init(registry: String, repository: String, options: RegistryOptions = RegistryOptions(),
                logger: Logger = Logger(label: "registry-image.registry")) {
        self.registry = registry
        self.repository = repository
        self.options = options
        self.logger = logger
        var trust: TrustStore?
        var configurationError: RegistryError?
        do {
            trust = try TrustAnchors.store(adding: options.caCertificatesPEM)
        } catch {
            configurationError = error
        }
        self.configurationError = configurationError
        transport = HTTPTransport(
            configuration: HTTPTransport.Configuration(
                connectTimeout: options.connectTimeout, stallTimeout: options.stallTimeout,
                trust: trust,
                proxy: ProxySettings.fromEnvironment(), userAgent: "registry-image/1"),
            logger: logger)
        authenticator = RegistryAuthenticator(registry: registry, credentials: options.credentials,
                                              insecure: options.insecure, transport: transport, logger: logger)
    }

    /// The token scope for pulling from this repository.
    var pullScope: String { "repository:\(repository):pull" }

    /// `https://host` or, for insecure / private registries without TLS,
    /// `http://host`; found once by probing `/v2/`, which also yields the
    /// auth challenge.
    func baseURL() throws -> URL {
        if let configurationError { throw configurationError }
        if let resolved = resolvedBase.withLock({ $0 }) { return resolved }
        let base = try withRetries { _ in try probe() }
        resolvedBase.withLock { $0 = base }
        return base
    }

    /// Probes the registry and obtains the pull token, so that concurrent
    /// workers start with everything cached.
    func prepare() throws {
        _ = try baseURL()
        _ = try withRetries { _ in try authenticator.authorization(scope: pullScope) }
    }

    private func probe() throws -> URL {
        guard let https = URL(string: "https://\(registry)"), let http = URL(string: "http://\(registry)") else {
            throw RegistryError.invalidReference(registry, reason: "registry host is not usable in a URL")
        }
        if HostAddress.isLoopbackHost(registry) { return try probeLoopback(http: http, https: https) }
        do {
            try probe(https)
            return https
        } catch let error as HTTPTransferError where error.kind == .serverDoesNotSpeakTLS {
            guard options.insecure || HostAddress.isLoopbackOrPrivate(registry) else {
                throw RegistryError.transport(
                    url: https.absoluteString,
                    message: "the server does not speak TLS (\(error.message)); set insecure: true to use plain http")
            }
            logger.debug("\(registry) does not speak TLS; using plain http")
        } catch let error as HTTPTransferError where options.insecure {
            // As Go's resource does for `insecure: true`: any https failure
            // (refused, unresolvable without a proxy for https) tries http.
            logger.debug("https://\(registry) failed (\(error.message)); insecure, so trying plain http")
        } catch let error as HTTPTransferError {
            throw Self.map(error, url: https.absoluteString)
        }
        do {
            try probe(http)
        } catch let error as HTTPTransferError {
            throw Self.map(error, url: http.absoluteString)
        }
        return http
    }

    /// This machine's own registry: plain http first, then https. Go's
    /// resource races the two (https with a head start, http at once when
    /// https fails) and keeps the one that answers; one port speaks only one
    /// of them, so the order does not change the outcome, and asking http
    /// first spares the CA bundle's parse (~40 ms) that a TLS attempt costs.
    /// Loopback traffic never leaves the host, and the probe carries no
    /// credentials. A TLS server answers the plain request with an error
    /// (Go's: 400), and https is tried; if https cannot be spoken either, the
    /// http failure is the one reported.
    private func probeLoopback(http: URL, https: URL) throws -> URL {
        let plainFailure: any Error
        do {
            try probe(http)
            return http
        } catch let error as HTTPTransferError {
            plainFailure = Self.map(error, url: http.absoluteString)
        } catch {
            plainFailure = error
        }
        logger.debug("http://\(registry) did not answer as a registry (\(plainFailure)); trying https")
        do {
            try probe(https)
            return https
        } catch let error as HTTPTransferError where error.kind == .serverDoesNotSpeakTLS {
            throw plainFailure
        } catch let error as HTTPTransferError {
            throw Self.map(error, url: https.absoluteString)
        }
    }

    /// Throws `HTTPTransferError` unmapped so the caller can fall back.
    private func probe(_ base: URL) throws {
        let url = base.appendingPathComponent("v2/")
        let request = HTTPRequest(method: .get, url: url, verifyTLS: !options.insecure)
        let response = try transport.perform(request) { _ in .collectPrefix(limit: 64 << 10) }
        switch response.status {
        case 200..<300:
            authenticator.adopt(challengeHeaders: [])
        case 401:
            authenticator.adopt(challengeHeaders: response.headers.values("WWW-Authenticate"))
        default:
            throw Self.failure(for: response, what: "registry API \(url.redactedForLog)")
        }
    }
}
