import FoundationEssentials
import OCIModel

/// One request to the registry as the operations describe it; the client adds
/// authorization, follows redirects and retries.
struct RegistryRequest {
    var method: HTTPRequest.Method
    /// Path below the registry root (`/v2/NAME/manifests/REF`) or, for
    /// pagination links, an absolute URL.
    var target: Target
    var headers: [(name: String, value: String)] = []
    var body: Data? = nil
    var uploadBody: HTTPUploadBody? = nil
    var scope: String

    enum Target {
        case path(String)
        case url(URL)
    }
}

extension RegistryClient {
    static let maxRedirects = 10
    static let errorBodyLimit = 64 << 10

    /// Runs `body` until it succeeds, fails for good, or the retry budget is
    /// spent. Only `TransientFailure` is retried.
    public func withRetries<T>(_ body: (inout RetrySchedule) throws -> T) throws -> T {
        var schedule = RetrySchedule(policy: options.retry)
        while true {
            do {
                return try body(&schedule)
            } catch let failure as TransientFailure {
                guard let delay = schedule.nextDelay(retryAfter: failure.retryAfter) else {
                    throw RegistryError.tooManyRetries(attempts: schedule.failedAttempts, lastCause: failure.cause)
                }
                logger.debug("retrying in \(delay.milliseconds) ms after: \(failure.cause)")
                PosixThread.sleep(seconds: delay.seconds)
            }
        }
    }

    /// One attempt: authorizes, refreshes the token once on 401, follows
    /// redirects (sending `Authorization` only to the registry itself).
    /// `decide` sees only 2xx responses; other bodies are kept (bounded) for
    /// error messages. Transport failures come out mapped.
    func exchange(_ request: RegistryRequest,
                  decide: @escaping (HTTPResponseHead) throws -> HTTPBodyDisposition) throws -> HTTPResponse {
        let base = try baseURL()
        var url: URL
        switch request.target {
        case .path(let path):
            guard let resolved = URL(string: base.absoluteString + path) else {
                throw RegistryError.invalidReference(path, reason: "not usable in a URL")
            }
            url = resolved
        case .url(let absolute):
            url = absolute
        }
        var refreshed = false
        var redirects = 0
        while true {
            let toRegistry = Self.sameOrigin(url, base)
            var headers = request.headers
            if toRegistry, let authorization = try authenticator.authorization(scope: request.scope) {
                headers.append((name: "Authorization", value: authorization))
            }
            let httpRequest = HTTPRequest(method: request.method, url: url, headers: headers, body: request.body,
                                          uploadBody: request.uploadBody, verifyTLS: toRegistry ? !options.insecure : true)
            let response: HTTPResponse
            do {
                response = try transport.perform(httpRequest) { head in
                    (200..<300).contains(head.status) ? try decide(head) : .collectPrefix(limit: Self.errorBodyLimit)
                }
            } catch let error as HTTPTransferError {
                throw Self.map(error, url: url.redactedForLog)
            }
            RegistryRateLimit.logRemaining(response, logger: logger)
            if response.status == 401, toRegistry, !refreshed,
               authenticator.refresh(afterUnauthorized: response.headers.values("WWW-Authenticate"), scope: request.scope) {
                refreshed = true
                try Self.requireRewindable(request, after: "HTTP 401", url: url)
                continue
            }
            if response.isRedirect, let location = response.headers["Location"] {
                redirects += 1
                guard redirects <= Self.maxRedirects,
                      let next = URL(string: location, relativeTo: url)?.absoluteURL,
                      let scheme = next.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
                    throw RegistryError.invalidResponse(url: url.redactedForLog, reason: "unusable or endless redirect")
                }
                if scheme == "http" && url.scheme?.lowercased() == "https" && !options.insecure {
                    throw RegistryError.invalidResponse(url: url.redactedForLog, reason: "redirect from https to plain http refused")
                }
                url = next
                try Self.requireRewindable(request, after: "a redirect", url: url)
                continue
            }
            return response
        }
    }

    /// A streamed body already partly sent cannot go out again: the caller's
    /// retry starts the whole upload over (with the token just refreshed).
    private static func requireRewindable(_ request: RegistryRequest, after what: String, url: URL) throws {
        guard let body = request.uploadBody, !body.canRewind else { return }
        throw TransientFailure(cause: "\(url.redactedForLog): \(what) after part of a streamed upload was sent", retryAfter: nil)
    }

    /// Same scheme, host and port: only then may credentials go along.
    static func sameOrigin(_ url: URL, _ base: URL) -> Bool {
        url.scheme?.lowercased() == base.scheme?.lowercased() && url.host?.lowercased() == base.host?.lowercased()
            && effectivePort(url) == effectivePort(base)
    }

    private static func effectivePort(_ url: URL) -> Int {
        url.port ?? (url.scheme?.lowercased() == "http" ? 80 : 443)
    }

    /// The error for a response that is not a success: a `TransientFailure`
    /// for statuses worth retrying, a `RegistryError` otherwise.
    static func failure(for response: HTTPResponse, what: String) -> any Error {
        let message = RegistryErrorBody.message(from: response.body, fallback: "HTTP \(response.status)")
        switch response.status {
        case 429:
            return RegistryRateLimit.failure(for: response, what: what, message: message)
        case 500, 502, 503, 504:
            return TransientFailure(
                cause: "\(what): HTTP \(response.status): \(message)",
                retryAfter: response.headers["Retry-After"].flatMap { RetryPolicy.parseRetryAfter($0) })
        case 404:
            return RegistryError.notFound(what: what, message: message)
        default:
            return RegistryError.httpStatus(status: response.status, url: response.url.redactedForLog, message: message)
        }
    }

    /// `failure(for:)` plus a clear 401 message.
    func failure(for response: HTTPResponse, what: String) -> any Error {
        guard response.status == 401 else { return Self.failure(for: response, what: what) }
        let fallback = authenticator.hasCredentials
            ? "the registry refused the credentials for \(options.credentials?.username ?? "")"
            : "authentication required and no credentials were given"
        return RegistryError.unauthorized(registry: registry,
                                          message: RegistryErrorBody.message(from: response.body, fallback: fallback))
    }

    static func map(_ error: HTTPTransferError, url: String) -> any Error {
        switch error.kind {
        case .transient: TransientFailure(cause: error.description, retryAfter: nil)
        case .tls: RegistryError.tls(url: url, message: error.message)
        case .serverDoesNotSpeakTLS: RegistryError.tls(url: url, message: "the server does not speak TLS (\(error.message))")
        case .fatal: RegistryError.transport(url: url, message: error.message)
        case .bodyTooLarge: RegistryError.invalidResponse(url: url, reason: error.message)
        }
    }
}
