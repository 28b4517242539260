import Foundation
import TestSupport
import Testing

/// `out` moves a tag only after every blob and child manifest is in place: a
/// push that fails part-way leaves the tag where it was.
@Suite("out never moves a tag before its content is in place")
struct PushAtomicityTests {
    /// Pushes a single image as `stable`, then tries to push a multi-platform
    /// image over it while the proxy answers 503 to every request `fault`
    /// matches. Returns the stats of the failed push and the first digest.
    private func failedRepush(
        _ repository: String, fault: FaultProxyConfig.InjectedStatus
    ) throws -> (stats: FaultProxyStats, registry: TestRegistry, firstDigest: String) {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let work = try TemporaryDirectory()
        // Fixture layouts are removed when released: keep both alive while copying.
        let first = try buildFixture(PushHarness.image)
        let second = try buildFixture(PushHarness.index)
        try FileManager.default.copyItem(at: first.url, to: work.appending("first"))
        try FileManager.default.copyItem(at: second.url, to: work.appending("second"))
        let source: [String: Any] = ["repository": "\(proxy.url)/\(repository)", "tag": "stable"]
        let pushed = try PushHarness.out(source: source, params: ["image": "first"], directory: work.url)
        #expect(try PushHarness.servedDigest(registry, repository, "stable") == pushed.version.digest)

        try proxy.configure(FaultProxyConfig(serviceUnavailable: fault))
        try proxy.resetStats()
        #expect(throws: (any Error).self) {
            try PushHarness.out(source: source, params: ["image": "second"], directory: work.url)
        }
        return (try proxy.stats(), registry, pushed.version.digest)
    }

    @Test func failedBlobUploadLeavesTheTagAlone() throws {
        let result = try failedRepush("atomic/app", fault: .init(count: 1000, method: "PUT", pathPattern: "/blobs/uploads/"))
        #expect(result.stats.injected503 > 0)
        #expect(result.stats.count("PUT", pathContaining: "/manifests/") == 0)
        #expect(try PushHarness.servedDigest(result.registry, "atomic/app", "stable") == result.firstDigest)
    }

    @Test func failedChildManifestLeavesTheTagAlone() throws {
        // Blobs go through; every manifest PUT by digest (the index's children)
        // fails, so the index must never be put under the tag.
        let result = try failedRepush("atomic/index", fault: .init(count: 1000, method: "PUT", pathPattern: "/manifests/sha256:"))
        #expect(result.stats.injected503 > 0)
        #expect(result.stats.count("PUT", pathContaining: "/manifests/stable") == 0)
        #expect(try PushHarness.servedDigest(result.registry, "atomic/index", "stable") == result.firstDigest)
    }
}
