import Foundation
import TestSupport
import Testing

/// `in` requests each layer while the one before it is still streaming, one
/// ahead at most, and uses that request (no second GET) — or, when the turn
/// comes too late, drops it and fetches the layer as usual. Counted at the
/// fault proxy in front of a real registry; the rootfs is checked against
/// umoci's unpacking of the same layout.
@Suite("in: next layer requested early", .serialized)
struct FetchPrefetchTests {
    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"]),
        layers: (1...4).map { number in
            LayerSpec([.randomFile("layer\(number)/data", size: 1_500_000, seed: "prefetch-\(number)")])
        })
    static let fixture = Result { try FaultFetchTests.Fixture(image) }

    /// The fetched rootfs equals umoci's, layer file by layer file.
    static func expectSameRootfs(
        _ destination: TemporaryDirectory, as setup: FaultFetchTests.Setup, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for number in 1...4 {
            let file = "layer\(number)/data"
            #expect(try ExternalDigest.sha256(ofFile: "\(destination.path)/rootfs/\(file)")
                    == ExternalDigest.sha256(ofFile: "\(setup.reference.path)/bundle/rootfs/\(file)"), "\(file)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func eachLayerIsRequestedOnceWithTheNextOneInFlight() throws {
        let setup = try FaultFetchTests.Setup("prefetch/once", fixture: Self.fixture)
        let destination = try TemporaryDirectory(prefix: "prefetch-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        try Self.expectSameRootfs(destination, as: setup)
        let stats = try setup.proxy.stats()
        // The config (read while resolving) and four layers: nothing fetched twice.
        #expect(stats.count("GET", pathContaining: "/blobs/") == 5)
        #expect(stats.blobDownloadsInFlightMax == 2)  // one ahead, never more
    }

    /// Every layer's body stalls after 1 MiB (stall timeout 1 s, then a
    /// resume), so the next layer's early request holds its first bytes
    /// past its patience (half the stall timeout): it is dropped, never
    /// mistaken for a stall, and the layer is fetched again at its turn.
    @Test func aRequestWhoseTurnComesTooLateIsDroppedAndFetchedAgain() throws {
        let setup = try FaultFetchTests.Setup("prefetch/late", fixture: Self.fixture)
        try setup.proxy.configure(FaultProxyConfig(stallBlobBody: .init(afterBytes: 1 << 20, times: 1_000)))
        let destination = try TemporaryDirectory(prefix: "prefetch-late")
        let result = try setup.fetch(into: destination, environment: ["RI_STALL_TIMEOUT_MS": "1000"])
        #expect(result.status == 0, "\(result.stderr)")
        try Self.expectSameRootfs(destination, as: setup)
        let stats = try setup.proxy.stats()
        // Config; each layer fetched and resumed once; layers 2–4 also requested early, then dropped.
        #expect(stats.count("GET", pathContaining: "/blobs/") == 1 + 4 * 2 + 3, "\(stats.requests)")
        #expect(stats.ranges.count == 4, "\(stats.ranges)")
    }
}
