import Foundation
import OCIModel
import RegistryClient
import TestSupport
import Testing

/// The client's retry, resume, fallback and redirect rules, through the
/// fault-injecting proxy in front of a real registry.
@Suite("RegistryClient through a fault-injecting proxy")
struct RegistryClientFaultTests {
    typealias Base = RegistryClientTests

    static func setUp(_ options: TestRegistryOptions = .plain, repository: String) throws
        -> (TestRegistry, PushedImage, FaultProxy) {
        let registry = try TestRegistry(options)
        let pushed = try push(Base.image, to: registry, repository: repository)
        return (registry, pushed, try FaultProxy(upstream: registry))
    }

    static func client(_ proxy: FaultProxy, _ repository: String, credentials: RegistryCredentials? = nil) -> RegistryClient {
        RegistryClient(registry: proxy.url, repository: repository,
                       options: RegistryOptions(credentials: credentials, connectTimeout: .seconds(5),
                                                stallTimeout: .seconds(10), retry: Base.fastRetry))
    }

    @Test func droppedBlobResumesWithRange() throws {
        let (registry, pushed, proxy) = try Self.setUp(repository: "fault/resume")
        defer { registry.stop() }
        let layer = try #require(pushed.image.layers?.first { $0.size > 200_000 })
        try proxy.configure(FaultProxyConfig(cutBlobBody: .init(afterBytes: 100_000, times: 2)))
        let consumer = Base.CollectingConsumer()
        try Self.client(proxy, "fault/resume").fetchBlob(try Digest(parsing: layer.digest), into: consumer)
        #expect(consumer.finished == 1)
        #expect(consumer.data.count == layer.size)
        #expect(try Base.sha256(consumer.data) == layer.digest)
        let stats = try proxy.stats()
        #expect(stats.cuts == 2)
        #expect(stats.ranges == ["bytes=100000-", "bytes=200000-"])
    }

    @Test func transientStatusesAreRetriedThenGivenUp() throws {
        let (registry, pushed, proxy) = try Self.setUp(repository: "fault/retry")
        defer { registry.stop() }
        let client = Self.client(proxy, "fault/retry")
        try proxy.configure(FaultProxyConfig(tooManyRequests: .init(count: 1, retryAfter: 1, method: "HEAD")))
        let started = ContinuousClock.now
        #expect(try client.headManifest("v1")?.digest.description == pushed.manifestDigest)
        #expect(ContinuousClock.now - started >= .milliseconds(900))  // Retry-After honoured
        #expect(try proxy.stats().injected429 == 1)

        try proxy.configure(FaultProxyConfig(serviceUnavailable: .init(count: 2, method: "GET")))
        #expect(try client.fetchManifest("v1").digest.description == pushed.manifestDigest)
        #expect(try proxy.stats().injected503 == 2)

        try proxy.configure(FaultProxyConfig(serviceUnavailable: .init(count: 50, method: "GET")))
        do {
            _ = try client.fetchManifest("v1")
            Issue.record("succeeded through 50 injected 503s")
        } catch let error as RegistryError {
            guard case .tooManyRetries(let attempts, let cause) = error else { Issue.record("got \(error)"); return }
            #expect(attempts == Base.fastRetry.maxAttempts)
            #expect(cause.contains("503"))
        }
    }

    @Test func headFallsBackToGetWhenRefusedOrWithoutDigest() throws {
        let (registry, pushed, proxy) = try Self.setUp(repository: "fault/head")
        defer { registry.stop() }
        let client = Self.client(proxy, "fault/head")
        try proxy.configure(FaultProxyConfig(headNotAllowed: true))
        let viaGet = try #require(try client.headManifest("v1"))
        #expect(viaGet.digest.description == pushed.manifestDigest)
        #expect(viaGet.size == Int64(pushed.image.size))
        #expect(try proxy.stats().headNotAllowed >= 1)
        #expect(try client.headManifest("nope") == nil)

        try proxy.configure(FaultProxyConfig(stripDigestHeader: true))
        #expect(try client.headManifest("v1")?.digest.description == pushed.manifestDigest)
        #expect(try client.fetchManifest("v1").digest.description == pushed.manifestDigest)
    }

    @Test func redirectedBlobsGoWithoutAuthorization() throws {
        let (registry, pushed, proxy) = try Self.setUp(.basicAuth, repository: "fault/redirect")
        let credentials = RegistryCredentials(username: try #require(registry.username),
                                              password: try #require(registry.password))
        try proxy.configure(FaultProxyConfig(redirectBlobsToHost: "localhost"))
        let client = Self.client(proxy, "fault/redirect", credentials: credentials)
        let layer = try #require(pushed.image.layers?.first)
        let consumer = Base.CollectingConsumer()
        try client.fetchBlob(try Digest(parsing: layer.digest), into: consumer)
        #expect(try Base.sha256(consumer.data) == layer.digest)
        let stats = try proxy.stats()
        #expect(stats.redirected == 1)
        #expect(stats.authorizationOnRedirect == [false])
        #expect(stats.authorizationSeen >= 1)
    }

    @Test func tagPagesFromLinkHeadersKeepServerOrder() throws {
        let (registry, _, proxy) = try Self.setUp(repository: "fault/tags")
        defer { registry.stop() }
        let tags = (0..<11).map { "tag-\($0)" }.reversed().map { $0 }
        try proxy.configure(FaultProxyConfig(tagOrder: .init(order: .asis, tags: tags, pageSize: 3)))
        #expect(try Self.client(proxy, "fault/tags").listTags() == tags)
        #expect(try proxy.stats().count("GET", pathContaining: "tags/list") >= 4)
    }
}
