import Foundation
import ImageIO
import Logging
import RegistryClient
import TestSupport
import Testing

/// How blobs go up: several at once, each streamed (no whole chunk in
/// memory), restarted when a connection drops, and mounted instead of sent
/// when a layout knows which repository of the registry holds them. Counted
/// at the fault proxy in front of a real docker-registry; every pushed image
/// is read back with skopeo.
@Suite("push: parallel, streamed and mounted uploads")
struct PushStreamingTests {
    static let fourLayers = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"]),
        layers: (1...4).map { LayerSpec([.randomFile("layer\($0)/data", size: 300_000, seed: "parallel\($0)")]) })

    @Test(arguments: [1, 3])
    func blobsUploadUpToTheLimitAtOnce(_ limit: Int) throws {
        let registry = try TestRegistry(.plain)
        // Every request waits, so uploads started together overlap.
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(latencyMs: 300))
        defer { proxy.stop() }
        let layout = try buildFixture(Self.fourLayers)
        let client = RegistryClient(registry: proxy.url, repository: "parallel/app")
        let pusher = RegistryDestination(client: client, tags: ["p"], options: PushOptions(parallelUploads: limit),
                                         logger: Logger(label: "test"))
        let pushed = try PushTests.push(try ImageSourceLocator.open(path: layout.url.path), to: pusher)
        #expect(pushed.digest.description == layout.image.manifestDigest)
        let stats = try proxy.stats()
        #expect(stats.uploadsInFlightMax == limit, "at most \(limit) and, with 5 blobs, exactly that many at once")
        #expect(stats.count("PUT", pathContaining: "/blobs/uploads/") == 5)
        #expect(stats.count("PATCH") == 0, "each blob goes up in its one PUT")
        #expect(pusher.pushStatistics?.blobsUploaded == 5)
        try Self.expectSkopeoReadsBack(registry, "parallel/app", "p", digest: layout.image.manifestDigest)
    }

    /// A blob that fails its digest check stops the push: the uploads still
    /// running are cancelled, the tag is not written, and the executable
    /// prints one `error:` line naming that layer.
    @Test func oneBadBlobStopsThePushWithOneErrorLine() throws {
        let registry = try TestRegistry(.plain)
        let spec = ImageSpec(tag: "v1", config: ImageConfigSpec(env: ["A=1"]), layers: [
            LayerSpec([.file("small", "the bad one\n")]),
            LayerSpec([.randomFile("big1", size: 3_000_000, seed: "b1")]),
            LayerSpec([.randomFile("big2", size: 3_000_000, seed: "b2")]),
            LayerSpec([.randomFile("big3", size: 3_000_000, seed: "b3")]),
        ])
        let layout = try buildFixture(spec)
        let bad = try #require(layout.image.layers?.first)
        let blob = layout.url.appendingPathComponent("blobs/sha256/" + bad.digest.dropFirst("sha256:".count))
        var bytes = try Data(contentsOf: blob)
        bytes[bytes.count - 1] ^= 0xff  // same size, other digest
        try bytes.write(to: blob)

        let result = try ResourceRunner.run(["push", layout.url.path, "\(registry.url)/bad/app:v1"])
        #expect(result.status != 0)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "stderr:\n\(result.stderr)")
        #expect(errors.first?.contains("layer 1 of 4") == true, "\(errors)")
        #expect(errors.first?.contains(String(bad.digest.dropFirst("sha256:".count).prefix(12))) == true, "\(errors)")
        #expect(!result.stderr.contains("stopped because another transfer failed"))
        #expect(throws: (any Error).self) { try PushHarness.tags(registry, "bad/app") }
    }

    /// A connection dropped while a blob is on its way: the blob starts over
    /// (a new upload session, the bytes read again from the layout).
    @Test func droppedUploadConnectionStartsTheBlobOver() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(
            cutUploadBody: .init(afterBytes: 200_000, times: 2)))
        defer { proxy.stop() }
        let layout = try buildFixture(PushHarness.image)
        let pushed = try PushHarness.pushThroughProxy(proxy, repository: "cut/app", tag: "c", layout: layout)
        #expect(pushed.digest.description == layout.image.manifestDigest)
        let stats = try proxy.stats()
        #expect(stats.cuts == 2)
        #expect(stats.count("POST", pathContaining: "/blobs/uploads") == 3 + 2, "one new session per dropped upload")
        try Self.expectSkopeoReadsBack(registry, "cut/app", "c", digest: layout.image.manifestDigest)
    }

    /// `in` with `format: oci-layout` records the repository it read from;
    /// `out` of that layout to another repository of the same registry
    /// mounts every blob and sends none. The layout stays one skopeo and
    /// umoci read.
    @Test func layoutFetchedByInIsPushedBackByMounting() throws {
        let fetched = try FetchedOrigin()
        let (registry, proxy, digest, work) = (fetched.registry, fetched.proxy, fetched.digest, fetched.work)
        let oci = work.appending("get/oci")

        let origin = try JSONDecoder().decode(BlobOrigin.self, from: Data(contentsOf: oci.appendingPathComponent("blob-origin.json")))
        #expect(origin == BlobOrigin(registry: proxy.url, repository: "origin/app"))
        _ = try ExternalCommand.check("skopeo", ["inspect", "--raw", "oci:\(oci.path)"])
        _ = try ExternalCommand.check("umoci", ["ls", "--layout", oci.path])

        try proxy.resetStats()
        let response = try PushHarness.out(source: ["repository": "\(proxy.url)/mounted/app", "tag": "m"],
                                           params: ["image": "get/oci"], directory: work.url)
        #expect(response.version.digest == digest)
        let stats = try proxy.stats()
        #expect(stats.mountRequests == 3, "config and two layers")
        #expect(stats.count("POST", pathContaining: "/blobs/uploads") == 3)
        #expect(stats.count("PATCH") == 0)
        #expect(stats.count("PUT", pathContaining: "/blobs/uploads/") == 0, "no blob was sent")
        try Self.expectSkopeoReadsBack(registry, "mounted/app", "m", digest: digest)
    }

    /// A mount the registry refuses (the origin lacks the blobs) answers 202
    /// with an upload session; that session carries the blob — no second POST.
    @Test func refusedMountUploadsThroughTheSessionItOpened() throws {
        let fetched = try FetchedOrigin()
        let (registry, proxy, digest, work) = (fetched.registry, fetched.proxy, fetched.digest, fetched.work)
        let elsewhere = try JSONEncoder().encode(BlobOrigin(registry: proxy.url, repository: "empty/app"))
        try elsewhere.write(to: work.appending("get/oci/blob-origin.json"))

        try proxy.resetStats()
        let response = try PushHarness.out(source: ["repository": "\(proxy.url)/refused/app", "tag": "r"],
                                           params: ["image": "get/oci"], directory: work.url)
        #expect(response.version.digest == digest)
        let stats = try proxy.stats()
        #expect(stats.mountRequests == 3)
        #expect(stats.count("POST", pathContaining: "/blobs/uploads") == 3, "the refused mount's session was used")
        #expect(stats.count("PUT", pathContaining: "/blobs/uploads/") == 3)
        try Self.expectSkopeoReadsBack(registry, "refused/app", "r", digest: digest)
    }

    /// A layout from another registry (or none recorded) is uploaded as usual.
    @Test func originOnAnotherRegistryIsNotMountedFrom() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let work = try PushHarness.workDirectory(holding: try buildFixture(PushHarness.image))
        try JSONEncoder().encode(BlobOrigin(registry: "registry.example:5000", repository: "origin/app"))
            .write(to: work.appending("layout/blob-origin.json"))
        _ = try PushHarness.out(source: ["repository": "\(proxy.url)/other/app", "tag": "o"],
                                params: ["image": "layout"], directory: work.url)
        let stats = try proxy.stats()
        #expect(stats.mountRequests == 0)
        #expect(stats.count("PUT", pathContaining: "/blobs/uploads/") == 3)
    }

    /// Peak memory of a push does not grow with the blobs: four 24 MiB
    /// layers, four at once, take under 8 MiB more RSS (GNU time's figure)
    /// than a push of a few bytes (a 32 MiB chunk per upload took ≥ 32 MiB).
    /// The absolute figure of the release build is in `Benchmarks/push.sh`.
    @Test func pushMemoryDoesNotGrowWithTheLayers() throws {
        let registry = try TestRegistry(.plain)
        let big = ImageSpec(tag: "v1", config: ImageConfigSpec(env: ["A=1"]), layers: (1...4).map {
            LayerSpec([.randomFile("big\($0)", size: 24 << 20, seed: "rss\($0)")], compression: .none)
        })
        let small = ImageSpec(tag: "v1", config: ImageConfigSpec(env: ["A=1"]), layers: [LayerSpec([.file("f", "x")])])
        func peakKiB(_ spec: ImageSpec, _ repository: String) throws -> Int {
            let layout = try buildFixture(spec)
            let rssFile = layout.url.appendingPathComponent("rss").path
            let result = try ResourceRunner.run(["push", layout.url.path, "\(registry.url)/\(repository):v1"],
                                                environment: ["RI_PUSH_PARALLEL": "4"],
                                                wrapper: ["/usr/bin/time", "-f", "%M", "-o", rssFile])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try PushHarness.servedDigest(registry, repository, "v1") == layout.image.manifestDigest)
            let text = try String(contentsOfFile: rssFile, encoding: .utf8)
            return try #require(Int(text.split(separator: "\n").last.map(String.init) ?? ""), "time wrote: \(text)")
        }
        let baseline = try peakKiB(small, "rss/small")
        let large = try peakKiB(big, "rss/big")
        print("push: peak RSS \(baseline) KiB for a few bytes, \(large) KiB for 4 × 24 MiB layers")
        #expect(large - baseline < 8 * 1024, "peak RSS \(large) KiB against \(baseline) KiB")
    }

    /// `PushHarness.image` pushed (by skopeo) as `origin/app:v1` to a registry
    /// behind a fault proxy, then fetched through the proxy by `in` as an OCI
    /// layout into `get/` of `work`.
    final class FetchedOrigin {
        let registry: TestRegistry
        let proxy: FaultProxy
        let digest: String
        let work: TemporaryDirectory

        init() throws {
            registry = try TestRegistry(.plain)
            proxy = try FaultProxy(upstream: registry)
            let layout = try buildFixture(PushHarness.image)
            digest = try pushLayout(layout.url, layoutTag: "v1", to: registry, repository: "origin/app", tag: "v1")
            work = try TemporaryDirectory()
            _ = try PushHarness.fetch(source: ["repository": "\(proxy.url)/origin/app"], digest: digest, tag: "v1",
                                      params: ["format": "oci-layout"], destination: work.appending("get"))
        }

        deinit { proxy.stop() }
    }

    /// skopeo serves the digest and copies the image back out (checking every blob).
    static func expectSkopeoReadsBack(_ registry: TestRegistry, _ repository: String, _ tag: String, digest: String) throws {
        #expect(try PushHarness.servedDigest(registry, repository, tag) == digest)
        let out = try TemporaryDirectory()
        _ = try ExternalCommand.check("skopeo", ["copy", "--quiet"] + registry.skopeoFlags("src")
            + ["docker://\(registry.url)/\(repository):\(tag)", "oci:\(out.path)/copy:\(tag)"])
    }
}
