import FoundationEssentials

/// How transient failures (connection errors, 429, 500/502/503/504) are
/// retried: exponential backoff with jitter, at least any `Retry-After`,
/// bounded by attempts and by total time.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The retry budget: no retry starts once the operation has spent this
    /// long without progress in all — failed attempts, waits between them,
    /// and, for a blob download that resumes, each stall before a drop. A
    /// download that keeps moving is not cut short, but one that moves a
    /// little and then stalls, over and over, fails within about this plus
    /// one stall timeout.
    public var maxTotal: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = RetryPolicy.defaultBaseDelay,
                maxDelay: Duration = .seconds(10), maxTotal: Duration = RetryPolicy.defaultBudget) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
    }

    /// 0.5 s, or `RI_RETRY_BASE_DELAY_MS` when set (tests shorten it).
    public static var defaultBaseDelay: Duration {
        if let text = ProcessInfo.processInfo.environment["RI_RETRY_BASE_DELAY_MS"], let ms = Int(text), ms >= 0 {
            return .milliseconds(ms)
        }
        return .milliseconds(500)
    }

    /// 120 s, or `RI_RETRY_BUDGET_MS` when set (tests shorten it).
    public static var defaultBudget: Duration {
        if let text = ProcessInfo.processInfo.environment["RI_RETRY_BUDGET_MS"], let ms = Int(text), ms >= 0 {
            return .milliseconds(ms)
        }
        return .seconds(120)
    }

    /// The wait before attempt `failedAttempts + 1`. `jitter` in [0, 1) scales
    /// the backoff into [50%, 100%] so that clients do not retry in lockstep;
    /// a server's `Retry-After` is a floor.
    public func delay(afterFailedAttempts failedAttempts: Int, retryAfter: Duration?, jitter: Double) -> Duration {
        let exponent = min(max(failedAttempts - 1, 0), 30)
        let backoff = min(baseDelay * (1 << exponent), maxDelay)
        let jittered = backoff * (0.5 + 0.5 * min(max(jitter, 0), 1))
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }

    /// Parses `Retry-After`: delta-seconds or an HTTP-date (RFC 9110).
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingWhitespace()
        if let seconds = Int(trimmed) { return seconds >= 0 ? .seconds(seconds) : nil }
        guard let date = httpDate(trimmed) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return .milliseconds(Int(max(0, seconds) * 1000))
    }
}

extension RetryPolicy {
    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 5.6.7), the
    /// form servers send; the weekday is not checked against the date.
    public static func httpDate(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].count == 4, fields[0].hasSuffix(","), fields[5] == "GMT" || fields[5] == "UTC",
              let day = Int(fields[1]), (1...31).contains(day),
              let month = months.firstIndex(of: String(fields[2])),
              let year = Int(fields[3]), fields[3].count == 4 else { return nil }
        let clock = fields[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
              let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              hour < 24, minute < 60, second < 61 else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
        let y = month < 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month < 2 ? 10 : -2)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}

/// The running state of one retried operation.
public struct RetrySchedule {
    let policy: RetryPolicy
    private(set) var failedAttempts = 0
    /// Time without progress before the current stretch began.
    private var spent: Duration = .zero
    /// Since when the operation has been without progress.
    private var stretchStart = ContinuousClock.now

    init(policy: RetryPolicy) { self.policy = policy }

    /// The wait before the next attempt, or nil when the budget is spent.
    mutating func nextDelay(retryAfter: Duration?) -> Duration? {
        failedAttempts += 1
        guard failedAttempts < policy.maxAttempts else { return nil }
        let delay = policy.delay(afterFailedAttempts: failedAttempts, retryAfter: retryAfter,
                                 jitter: Double.random(in: 0..<1))
        guard timeWithoutProgress + delay <= policy.maxTotal else { return nil }
        return delay
    }

    /// Time spent without progress so far (the budget's measure).
    var timeWithoutProgress: Duration { spent + (ContinuousClock.now - stretchStart) }

    /// A transfer moved forward from `firstByte` to `lastByte` and then
    /// failed: it earns fresh attempts, but the wait for its first byte and
    /// the stall after its last stay charged to the budget, so a server that
    /// sends a little per connection and then stalls cannot keep it going.
    mutating func progressMade(firstByte: ContinuousClock.Instant, lastByte: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        failedAttempts = 0
        spent += max(firstByte - stretchStart, .zero) + max(now - lastByte, .zero)
        stretchStart = now
    }
}

/// A failure worth retrying (connection trouble, 429, 500/502/503/504).
/// Internal: callers see `RegistryError.tooManyRetries` once retries run out.
struct TransientFailure: Error {
    var cause: String
    var retryAfter: Duration?
}
