import FoundationEssentials
import RegistryClient
import Logging
import OCIModel

/// The HTTP calls cloud logins make (STS, ECR, instance metadata, Azure
/// managed identity, ACR's token exchange): small bodies, collected whole,
/// over the same libcurl transport and proxy rules as registry traffic, with
/// a few quick retries on connection failures, 429 and 5xx.
struct CloudHTTPClient: Sendable {
    let transport: HTTPTransport
    let verifyTLS: Bool
    /// Attempts and backoff (no jitter: a login makes a handful of calls).
    private let retry: RetryPolicy

    /// - Parameters:
    ///   - caCertificatesPEM: extra trust anchors (a pipeline's `ca_certs`).
    ///   - direct: never use a proxy (link-local metadata services).
    ///   - connectTimeout: short for metadata services, so that a worker
    ///     off EC2 or Azure fails fast.
    ///   - stallTimeout: a transfer receiving nothing this long fails (short
    ///     for metadata services: a container beyond IMDS's hop limit gets no
    ///     answer at all).
    init(caCertificatesPEM: [String] = [], verifyTLS: Bool = true, direct: Bool = false,
         connectTimeout: Duration = .seconds(10), stallTimeout: Duration = .seconds(30), attempts: Int = 3,
         logger: Logger) throws(CloudAuthError) {
        let trust: TrustStore?
        do {
            trust = try TrustAnchors.store(adding: caCertificatesPEM)
        } catch {
            throw .configuration("\(error)")
        }
        transport = HTTPTransport(
            configuration: HTTPTransport.Configuration(
                connectTimeout: connectTimeout, stallTimeout: stallTimeout, trust: trust,
                proxy: direct ? ProxySettings() : ProxySettings.fromEnvironment(), userAgent: "registry-image/1"),
            logger: logger)
        self.verifyTLS = verifyTLS
        retry = RetryPolicy(maxAttempts: max(1, attempts))
    }

    /// Performs `request`, retrying transient failures; returns the final
    /// response whatever its status. `what` names the call in errors.
    func send(_ request: HTTPRequest, what: String) throws(CloudAuthError) -> HTTPResponse {
        var request = request
        request.verifyTLS = verifyTLS
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try transport.perform(request) { _ in .collect(limit: 1 << 20) }
                let retryable = response.status == 429 || (500..<600).contains(response.status)
                if retryable && attempt < retry.maxAttempts {
                    pause(attempt)
                    continue
                }
                return response
            } catch let error as HTTPTransferError {
                if error.kind == .transient && attempt < retry.maxAttempts {
                    pause(attempt)
                    continue
                }
                throw .unreachable(what: what, reason: error.description)
            } catch {
                throw .unreachable(what: what, reason: "\(error)")
            }
        }
    }

    private func pause(_ attempt: Int) {
        let delay = retry.delay(afterFailedAttempts: attempt, retryAfter: nil, jitter: 1)
        PosixThread.sleep(seconds: delay.seconds)
    }
}

/// A response body as text for an error message: one line, bounded, and
/// with anything that looks like a credential value cut out.
enum ResponseSnippet {
    static func of(_ body: Data, limit: Int = 300) -> String {
        var text = String(decoding: body.prefix(4096), as: UTF8.self)
            .replacing("\n", with: " ").replacing("\r", with: " ")
        for field in ["access_token", "refresh_token", "id_token", "accessToken", "client_secret", "SecretAccessKey",
                      "SessionToken", "Token", "token", "authorizationToken", "password"] {
            text = redact(field, in: text)
        }
        text = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// Replaces the value after `"field":"` or `<field>` with REDACTED.
    private static func redact(_ field: String, in text: String) -> String {
        var result = text
        for (open, close) in [("\"\(field)\":\"", "\""), ("\"\(field)\": \"", "\""), ("<\(field)>", "</")] {
            var searchStart = result.startIndex
            while let start = result[searchStart...].firstRange(of: open) {
                guard let end = result[start.upperBound...].firstRange(of: close) else {
                    result.replaceSubrange(start.upperBound..<result.endIndex, with: "REDACTED")
                    break
                }
                result.replaceSubrange(start.upperBound..<end.lowerBound, with: "REDACTED")
                searchStart = result.index(start.upperBound, offsetBy: 8, limitedBy: result.endIndex) ?? result.endIndex
            }
        }
        return result
    }
}
