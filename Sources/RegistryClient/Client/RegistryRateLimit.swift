import FoundationEssentials
import Logging

/// A registry's request rate limit, as Docker Hub announces it
/// (`ratelimit-limit: 100;w=21600`, `ratelimit-remaining: 76;w=21600`, a
/// 429 when it is spent) and as other registries do (`Retry-After`,
/// `RateLimit-Reset` / `X-RateLimit-Reset`). Only manifest GETs count on
/// Docker Hub, which is why `check` asks with HEAD.
enum RegistryRateLimit {
    /// Logs what is left of the limit (debug), when the registry says.
    static func logRemaining(_ response: HTTPResponse, logger: Logger) {
        guard let remaining = response.headers["ratelimit-remaining"] else { return }
        let limit = response.headers["ratelimit-limit"].map { " of \($0)" } ?? ""
        logger.debug("registry rate limit: ratelimit-remaining: \(remaining)\(limit) (\(response.url.redactedForLog))")
    }

    /// A 429 as a retryable failure: waits `Retry-After`, else the limit's
    /// window (`w=`), within the retry budget; the text says it is the
    /// registry's rate limit, with when it resets if the registry says.
    static func failure(for response: HTTPResponse, what: String, message: String, now: Date = Date()) -> TransientFailure {
        let retryAfter = response.headers["Retry-After"].flatMap { RetryPolicy.parseRetryAfter($0, now: now) }
        // The window only when the limit is spent: another 429 passes sooner.
        let remainingText = response.headers["ratelimit-remaining"]
        let spent = remainingText.flatMap { Int($0.split(separator: ";").first?.trimmingWhitespace() ?? "") } == 0
        let window = spent ? remainingText.flatMap(windowSeconds).map { Duration.seconds($0) } : nil
        var details = ["HTTP 429: \(message)"]
        if let remaining = remainingText { details.append("ratelimit-remaining \(remaining)") }
        if let reset = resetDate(response, retryAfter: retryAfter, now: now) {
            details.append("resets at \(Self.format(reset))")
        }
        return TransientFailure(cause: "\(what): the registry's rate limit was reached (\(details.joined(separator: "; ")))",
                                retryAfter: retryAfter ?? window)
    }

    /// `w=SECONDS` of a `ratelimit-*` value.
    static func windowSeconds(_ value: String) -> Int? {
        for part in value.split(separator: ";") {
            let item = part.trimmingWhitespace()
            if item.hasPrefix("w="), let seconds = Int(item.dropFirst(2)), seconds > 0 { return seconds }
        }
        return nil
    }

    /// From `Retry-After`, else `RateLimit-Reset` / `X-RateLimit-Reset`
    /// (seconds from now, or a Unix time when it is that large).
    static func resetDate(_ response: HTTPResponse, retryAfter: Duration?, now: Date) -> Date? {
        if let retryAfter { return now.addingTimeInterval(retryAfter.seconds) }
        guard let text = response.headers["RateLimit-Reset"] ?? response.headers["X-RateLimit-Reset"],
              let value = Double(text.trimmingWhitespace()), value >= 0 else { return nil }
        return value > 1_000_000_000 ? Date(timeIntervalSince1970: value) : now.addingTimeInterval(value)
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
