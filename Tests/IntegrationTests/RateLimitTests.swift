import Foundation
import Testing
import TestSupport

/// A registry's rate limit as Docker Hub applies it (429 with
/// `ratelimit-limit`/`ratelimit-remaining`, only manifest GETs counted),
/// injected by the fault proxy before a real registry: check asks with HEAD
/// only, logs what is left with `debug`, waits `Retry-After` within the
/// retry budget, and otherwise says it is the registry's rate limit.
@Suite("Registry rate limits")
struct RateLimitTests {
    final class World: Sendable {
        let registry: TestRegistry
        let image: PushedImage

        init() throws {
            registry = try TestRegistry(.plain)
            image = try push(ImageSpec(tag: "v1", layers: [LayerSpec([.file("a", "rate\n")])]),
                             to: registry, repository: "hub/limited")
        }

        static let shared: Result<World, any Error> = Result { try World() }
    }

    static func check(_ proxy: FaultProxy) throws -> CommandResult {
        try ResourceRunner.run(["check"], request: ["source": ["repository": "\(proxy.url)/hub/limited", "tag": "v1", "debug": true]])
    }

    @Test func checkRetriesAfterRetryAfterAndLogsWhatIsLeftUsingHEADOnly() throws {
        let world = try World.shared.get()
        let proxy = try FaultProxy(upstream: world.registry, faults: FaultProxyConfig(
            tooManyRequests: .init(count: 1, retryAfter: 1, pathPattern: "/manifests/", rateLimitRemaining: "0;w=21600")))
        defer { proxy.stop() }
        let result = try Self.check(proxy)
        #expect(result.status == 0, "\(result.stderr)")
        let versions = (try? JSONSerialization.jsonObject(with: result.stdout)) as? [[String: String]] ?? []
        #expect(versions == [["tag": "v1", "digest": world.image.manifestDigest]])
        #expect(result.stderr.contains("ratelimit-remaining: 0;w=21600 of 100;w=21600"), "\(result.stderr)")
        let stats = try proxy.stats()
        #expect(stats.injected429 == 1)
        #expect(stats.count("GET", pathContaining: "/manifests/") == 0, "check never GETs a manifest (Docker Hub counts GETs)")
        #expect(stats.count("HEAD", pathContaining: "/manifests/") >= 2)
    }

    @Test func aSpentLimitIsNamedWithItsResetTime() throws {
        let world = try World.shared.get()
        // Docker Hub's answer when the limit is spent: its window (6 h) is beyond the retry budget.
        let hub = try FaultProxy(upstream: world.registry, faults: FaultProxyConfig(
            tooManyRequests: .init(count: 100, pathPattern: "/manifests/", rateLimitRemaining: "0;w=21600")))
        defer { hub.stop() }
        let spent = try Self.check(hub)
        #expect(spent.status == 1)
        let errors = spent.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(spent.stderr)")
        #expect(errors.first?.contains("the registry's rate limit was reached") == true, "\(spent.stderr)")
        #expect(errors.first?.contains("ratelimit-remaining 0;w=21600") == true)
        #expect(try hub.stats().injected429 == 1, "no retry can outlast a 6 h window")

        // A registry that says when: Retry-After beyond the budget, named as a time.
        let other = try FaultProxy(upstream: world.registry, faults: FaultProxyConfig(
            tooManyRequests: .init(count: 100, retryAfter: 3600, pathPattern: "/manifests/")))
        defer { other.stop() }
        let later = try Self.check(other)
        #expect(later.status == 1)
        let line = later.stderr.split(separator: "\n").first { $0.hasPrefix("error:") } ?? ""
        #expect(line.contains("the registry's rate limit was reached") && line.contains("resets at 20"), "\(later.stderr)")
    }
}
