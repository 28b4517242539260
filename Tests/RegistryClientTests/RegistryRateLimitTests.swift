import Foundation
@testable import RegistryClient
import Testing

/// How a 429 is read: the wait (Retry-After, else a spent limit's window)
/// and the text (the registry's rate limit, with its reset time).
@Suite struct RegistryRateLimitTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func response(_ headers: [(String, String)]) -> HTTPResponse {
        HTTPResponse(status: 429, headers: HTTPHeaders(headers), body: Data(),
                     url: URL(fileURLWithPath: "/v2/library/alpine/manifests/3"))
    }

    @Test func dockerHubsSpentLimitWaitsItsWindow() {
        let failure = RegistryRateLimit.failure(
            for: Self.response([("ratelimit-limit", "100;w=21600"), ("ratelimit-remaining", "0;w=21600")]),
            what: "manifest", message: "TOOMANYREQUESTS", now: Self.now)
        #expect(failure.retryAfter == .seconds(21600))
        #expect(failure.cause == "manifest: the registry's rate limit was reached (HTTP 429: TOOMANYREQUESTS; ratelimit-remaining 0;w=21600)")
    }

    @Test func retryAfterWinsAndNamesTheResetTime() {
        let failure = RegistryRateLimit.failure(
            for: Self.response([("Retry-After", "30"), ("ratelimit-remaining", "0;w=21600")]),
            what: "manifest", message: "slow down", now: Self.now)
        #expect(failure.retryAfter == .seconds(30))
        #expect(failure.cause.hasSuffix("resets at 2027-01-15T08:00:30Z)"), "\(failure.cause)")
    }

    @Test func aLimitNotSpentOrOtherRegistriesHeaders() {
        let notSpent = RegistryRateLimit.failure(for: Self.response([("ratelimit-remaining", "12;w=60")]),
                                                 what: "m", message: "x", now: Self.now)
        #expect(notSpent.retryAfter == nil)
        let epoch = RegistryRateLimit.failure(for: Self.response([("X-RateLimit-Reset", "1800000060")]),
                                              what: "m", message: "x", now: Self.now)
        #expect(epoch.cause.contains("resets at 2027-01-15T08:01:00Z"), "\(epoch.cause)")
        let delta = RegistryRateLimit.failure(for: Self.response([("RateLimit-Reset", "90")]), what: "m", message: "x",
                                              now: Self.now)
        #expect(delta.cause.contains("resets at 2027-01-15T08:01:30Z"), "\(delta.cause)")
        #expect(RegistryRateLimit.windowSeconds("100; w=21600") == 21600 && RegistryRateLimit.windowSeconds("5") == nil)
    }
}
