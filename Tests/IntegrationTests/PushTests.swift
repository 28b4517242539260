import Concourse
import Foundation
import Logging
import ImageIO
import OCIModel
import RegistryClient
import ResourceCore
import TestSupport
import Testing

@Suite("out / push against docker-registry")
struct PushTests {
    @Test func ociLayoutRoundTripKeepsIndexDigestOnTokenRegistry() throws {
        let registry = try TestRegistry(.token)
        let original = try TestSupport.push(PushHarness.index, to: registry, repository: "origin/multi")
        let work = try PushHarness.fetchIntoWork(registry, "origin/multi", digest: original.manifestDigest,
                                                 tag: "multi", params: ["format": "oci-layout"]).work

        let response = try PushHarness.out(
            source: PushHarness.source(registry, "copy/multi", extra: ["tag": "again"]),
            params: ["image": "get/oc*"], directory: work.url)
        #expect(response.version.digest == original.manifestDigest)
        #expect(response.version.tag == "again")
        #expect(response.value("repository") == "\(registry.url)/copy/multi")
        #expect(response.value("tags") == "again")
        #expect(try PushHarness.servedDigest(registry, "copy/multi", "again") == original.manifestDigest)
        // Every platform came along: skopeo can read each child by digest.
        for child in try #require(original.image.manifests) {
            _ = try skopeoInspect(registry, repository: "copy/multi", reference: child.digest, raw: true)
        }
        #expect(try registry.tokenServerStats().granted > 0)
    }

    @Test func dockerArchiveIsPushedCompressedAndPullsBackAsRootfs() throws {
        let registry = try TestRegistry(.basicAuth)
        let layout = try buildFixture(PushHarness.image)
        let work = try TemporaryDirectory()
        try PushHarness.dockerArchive(from: layout.url, tag: "v1", to: work.appending("image.tar"), name: "somewhere/else:v1")

        let response = try PushHarness.out(
            source: PushHarness.source(registry, "archive/app"), params: ["image": "*.tar", "version": "v1.2"],
            directory: work.url)
        #expect(response.version.tag == "1.2.0")
        #expect(try PushHarness.servedDigest(registry, "archive/app", "1.2.0") == response.version.digest)

        struct Manifest: Decodable {
            struct Layer: Decodable { let mediaType: String; let digest: String }
            let layers: [Layer]
        }
        let raw = try skopeoInspect(registry, repository: "archive/app", reference: "1.2.0", raw: true)
        let manifest = try JSONDecoder().decode(Manifest.self, from: raw)
        let diffIDs = try #require(layout.image.layers).map(\.diffID)
        #expect(manifest.layers.count == diffIDs.count)
        for (layer, diffID) in zip(manifest.layers, diffIDs) {
            #expect(layer.mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")
            #expect(layer.digest != diffID)
        }

        let pulled = work.appending("pulled")
        _ = try PushHarness.fetch(source: PushHarness.source(registry, "archive/app"), digest: response.version.digest,
                                  params: [:], destination: pulled)
        #expect(try String(contentsOf: pulled.appendingPathComponent("rootfs/etc/hello"), encoding: .utf8) == "hello from push\n")
        let blob = try Data(contentsOf: pulled.appendingPathComponent("rootfs/opt/blob"))
        #expect(blob.count == 700_000)
        // skopeo verifies every compressed blob against the pushed manifest.
        try ExternalCommand.check("skopeo", ["copy", "--quiet"] + registry.skopeoFlags("src")
            + ["docker://\(registry.url)/archive/app:1.2.0", "oci:\(work.appending("check").path):x"])
    }

    @Test func imageGlobMustMatchExactlyOnePath() throws {
        let work = try TemporaryDirectory()
        try Data("a".utf8).write(to: work.appending("one.tar"))
        try Data("b".utf8).write(to: work.appending("two.tar"))
        let source: [String: Any] = ["repository": "127.0.0.1:1/never", "tag": "t"]
        #expect(throws: PushCommandError.noMatch(pattern: "*.oci")) {
            _ = try PushHarness.out(source: source, params: ["image": "*.oci"], directory: work.url)
        }
        do {
            _ = try PushHarness.out(source: source, params: ["image": "*.tar"], directory: work.url)
            Issue.record("two matches were accepted")
        } catch let error as PushCommandError {
            #expect(error.description.hasPrefix("too many files/directories match glob '*.tar': ["))
            #expect(error.description.contains("one.tar") && error.description.contains("two.tar"))
        }
    }

    @Test func noTagIsAnError() throws {
        let work = try TemporaryDirectory()
        #expect(throws: TagPlanError.noTag) {
            _ = try PushHarness.out(source: ["repository": "127.0.0.1:1/never"], params: ["image": "x"], directory: work.url)
        }
    }

    @Test func pushWithoutCredentialsToTokenRegistryFailsCleanly() throws {
        let registry = try TestRegistry(.token)
        let work = try PushHarness.workDirectory(holding: try buildFixture(PushHarness.image), singleImage: false)
        do {
            _ = try PushHarness.out(source: PushHarness.source(registry, "anon/app", extra: ["tag": "t"], credentials: false),
                                    params: ["image": "layout"], directory: work.url)
            Issue.record("an anonymous push was accepted")
        } catch let error as RegistryError {
            guard case .unauthorized = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(error.description.contains("unauthorized"))
        }
    }

    @Test func rePushUploadsNoBytesAndMountsAcrossRepositories() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let layout = try buildFixture(PushHarness.image)
        let work = try PushHarness.workDirectory(holding: layout)
        let source: [String: Any] = ["repository": "\(proxy.url)/first/app", "tag": "one"]

        let first = try PushHarness.out(source: source, params: ["image": "layout"], directory: work.url)
        #expect(first.version.digest == layout.image.manifestDigest)
        #expect(try proxy.stats().count("PUT", pathContaining: "/blobs/uploads/") == 3)

        try proxy.resetStats()
        let second = try PushHarness.out(source: source, params: ["image": "layout"], directory: work.url)
        #expect(second.version.digest == first.version.digest)
        let stats = try proxy.stats()
        #expect(stats.count("HEAD", pathContaining: "/blobs/") == 3)
        #expect(stats.count("POST", pathContaining: "/blobs/uploads") == 0)
        #expect(stats.count("PATCH") == 0)
        #expect(stats.count("PUT", pathContaining: "/blobs/") == 0)

        try proxy.resetStats()
        let client = RegistryClient(registry: proxy.url, repository: "second/app")
        let pusher = RegistryDestination(client: client, tags: ["mounted"], options: PushOptions(mountFrom: ["first/app"]),
                                         logger: Logger(label: "test"))
        let pushed = try Self.push(try ImageSourceLocator.open(path: work.appending("layout").path), to: pusher)
        #expect(pushed.digest.description == layout.image.manifestDigest)
        #expect(pusher.pushStatistics?.blobsMounted == 3)
        #expect(pusher.pushStatistics?.bytesUploaded == 0)
        #expect(try proxy.stats().count("PATCH") == 0)
        #expect(try PushHarness.servedDigest(registry, "second/app", "mounted") == layout.image.manifestDigest)
    }

    @Test func smallChunksGoOutAsSeveralPatches() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let layout = try buildFixture(PushHarness.image)
        let client = RegistryClient(registry: proxy.url, repository: "chunks/app")
        let pusher = RegistryDestination(client: client, tags: ["c"], options: PushOptions(chunkSize: 64 << 10),
                                         logger: Logger(label: "test"))
        try Self.push(try ImageSourceLocator.open(path: layout.url.path), to: pusher)
        let layerSize = try #require(layout.image.layers?.map(\.size).max())
        #expect(try proxy.stats().count("PATCH") >= layerSize / (64 << 10))
        #expect(try PushHarness.servedDigest(registry, "chunks/app", "c") == layout.image.manifestDigest)
    }

    @Test func transientFailuresDuringUploadAreRetried() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(
            serviceUnavailable: .init(count: 2, method: "PUT", pathPattern: "/blobs/uploads/")))
        defer { proxy.stop() }
        let layout = try buildFixture(PushHarness.image)
        let pushed = try PushHarness.pushThroughProxy(proxy, repository: "retry/app", tag: "r", layout: layout)
        #expect(pushed.digest.description == layout.image.manifestDigest)
        #expect(try proxy.stats().injected503 == 2)
    }

    @discardableResult
    static func push(_ source: ImageSource, to destination: RegistryDestination) throws -> Descriptor {
        try ImageTransfer(progress: TransferProgress(enabled: false), logger: Logger(label: "test"))
            .copy(from: source, to: destination).root
    }
}
