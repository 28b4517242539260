import FastExtract
import Foundation
import RegistryImage
import Testing
import TestSupport

/// `out` moves a tag only after every blob and child manifest is in place: a
/// push that fails part-way leaves the tag where it was.
@Suite("out never moves a tag before its content is in place")
struct PushAtomicityTests {
    @Test func failedBlobUploadLeavesTheTagAlone() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let work = try TemporaryDirectory()

        let first = try buildFixture(PushHarness.image)
        try FileManager.default.copyItem(at: first.url, to: work.appending("first"))
        let source: [String: Any] = ["repository": "\(proxy.url)/atomic/app", "tag": "stable"]
        let pushed = try PushHarness.out(source: source, params: ["image": "first"], directory: work.url)
        #expect(try PushHarness.servedDigest(registry, "atomic/app", "stable") == pushed.version.digest)

        // A different multi-platform image whose blob uploads all fail.
        let second = try buildFixture(PushHarness.index)
        try FileManager.default.copyItem(at: second.url, to: work.appending("second"))
        try proxy.configure(FaultProxyConfig(
            serviceUnavailable: .init(count: 1000, method: "PUT", pathPattern: "/blobs/uploads/")))
        try proxy.resetStats()
        #expect(throws: (any Error).self) {
            try PushHarness.out(source: source, params: ["image": "second"], directory: work.url)
        }
        let stats = try proxy.stats()
        #expect(stats.injected503 > 0)
        #expect(stats.count("PUT", pathContaining: "/manifests/") == 0)
        #expect(try PushHarness.servedDigest(registry, "atomic/app", "stable") == pushed.version.digest)
    }

    @Test func failedChildManifestLeavesTheTagAlone() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let work = try TemporaryDirectory()

        let first = try buildFixture(PushHarness.image)
        try FileManager.default.copyItem(at: first.url, to: work.appending("first"))
        let source: [String: Any] = ["repository": "\(proxy.url)/atomic/index", "tag": "stable"]
        let pushed = try PushHarness.out(source: source, params: ["image": "first"], directory: work.url)

        // Blobs go through; every manifest PUT by digest (the index's
        // children) fails, so the index must never be put under the tag.
        let second = try buildFixture(PushHarness.index)
        try FileManager.default.copyItem(at: second.url, to: work.appending("second"))
        try proxy.configure(FaultProxyConfig(
            serviceUnavailable: .init(count: 1000, method: "PUT", pathPattern: "/manifests/sha256:")))
        try proxy.resetStats()
        #expect(throws: (any Error).self) {
            try PushHarness.out(source: source, params: ["image": "second"], directory: work.url)
        }
        let stats = try proxy.stats()
        #expect(stats.injected503 > 0)
        #expect(stats.count("PUT", pathContaining: "/manifests/stable") == 0)
        #expect(try PushHarness.servedDigest(registry, "atomic/index", "stable") == pushed.version.digest)
    }
}
