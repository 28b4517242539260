import Foundation
import TestSupport
import Testing

/// The whole `in`, run as the executable, through the fault-injecting proxy in
/// front of a real registry. Each run must end with a rootfs identical to
/// umoci's unpacking of the same image (nothing extracted twice, nothing
/// missing), or fail with one honest line and leave nothing that looks complete.
@Suite("in through faults", .serialized)
struct FaultFetchTests {
    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"], labels: ["fault": "yes"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/hello", "hello\n"), .randomFile("etc/first", size: 400_000, seed: "f1")]),
            LayerSpec([.randomFile("bin/big", size: 1_500_000, seed: "fault-big"), .file("etc/hello", "again\n")]),
        ])

    /// An image's layout and umoci's rootfs of it (the reference): made once
    /// per suite, pushed to each test's fresh registry.
    struct Fixture: Sendable {
        let layout: FixtureLayout
        let reference: TemporaryDirectory

        init(_ image: ImageSpec) throws {
            layout = try buildFixture(image)
            reference = try TemporaryDirectory(prefix: "fault-ref")
            try umociUnpack(layout: layout.url, tag: "v1", to: reference.url.appendingPathComponent("bundle"))
        }
    }

    static let fixture = Result { try Fixture(FaultFetchTests.image) }

    /// A registry holding the image, a proxy in front of it, and umoci's
    /// rootfs of the same layout as the reference.
    final class Setup: ProxiedImage {
        let reference: TemporaryDirectory

        init(_ name: String, fixture: Result<Fixture, any Error> = FaultFetchTests.fixture) throws {
            let fixture = try fixture.get()
            reference = fixture.reference
            try super.init(fixture.layout, name: name)
        }

        func fetch(
            into destination: TemporaryDirectory, source: [String: Any] = [:], environment: [String: String] = [:]
        ) throws -> CommandResult {
            try ResourceRunner.run(
                ["in", destination.path],
                request: ResourceRunner.inRequest(repository: repository, digest: digest, source: source),
                environment: environment)
        }

        /// The fetched rootfs equals umoci's, file by file.
        func expectSameRootfs(_ destination: TemporaryDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let ours = destination.path + "/rootfs"
            let theirs = reference.path + "/bundle/rootfs"
            for file in ["etc/hello", "etc/first", "bin/big"] {
                #expect(try ExternalDigest.sha256(ofFile: "\(ours)/\(file)") == ExternalDigest.sha256(ofFile: "\(theirs)/\(file)"),
                        "\(file)", sourceLocation: sourceLocation)
            }
            #expect(FileManager.default.contents(atPath: "\(ours)/etc/hello") == Data("again\n".utf8), sourceLocation: sourceLocation)
            #expect(FileManager.default.fileExists(atPath: destination.path + "/metadata.json"), sourceLocation: sourceLocation)
            #expect(leftovers(destination) == [], sourceLocation: sourceLocation)
        }
    }

    /// Staging directories left in DEST.
    static func leftovers(_ destination: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []).filter { $0.contains(".partial-") }
    }

    /// A registry on this machine is asked over plain http first (the scheme
    /// Go's ping race would settle on): no TLS handshake, and no CA bundle
    /// parse, before the first request.
    @Test func loopbackRegistryIsAskedOverHTTPFirst() throws {
        let setup = try Setup("fault/loopback")
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        try setup.expectSameRootfs(destination)
        let stats = try setup.proxy.stats()
        #expect(stats.malformedRequests == 0, "\(stats.requests)")
        #expect(stats.count("GET", pathContaining: "/v2/") > 0)
    }

    @Test func tooManyRequestsThenSuccess() throws {
        let setup = try Setup("fault/429")
        try setup.proxy.configure(FaultProxyConfig(tooManyRequests: .init(count: 1, retryAfter: 1, pathPattern: "/blobs/")))
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let started = ContinuousClock.now
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(ContinuousClock.now - started >= .milliseconds(900))  // Retry-After honoured
        #expect(try setup.proxy.stats().injected429 == 1)
        try setup.expectSameRootfs(destination)
    }

    @Test func serviceUnavailableTwice() throws {
        let setup = try Setup("fault/503")
        try setup.proxy.configure(FaultProxyConfig(serviceUnavailable: .init(count: 2)))
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try setup.proxy.stats().injected503 == 2)
        try setup.expectSameRootfs(destination)
    }

    @Test(arguments: [1, 2]) func cutMidBlobResumes(times: Int) throws {
        let setup = try Setup("fault/cut\(times)")
        try setup.proxy.configure(FaultProxyConfig(cutBlobBody: .init(afterBytes: 150_000, times: times)))
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        let stats = try setup.proxy.stats()
        #expect(stats.cuts == times)
        // Each resume starts where its blob's last cut left off (the proxy cuts
        // resumed bodies too). The next layer is requested while one streams,
        // so the second cut may fall on either layer.
        #expect(stats.ranges.count == times)
        #expect(stats.ranges.allSatisfy { range in (1...times).contains { range == "bytes=\($0 * 150_000)-" } }, "\(stats.ranges)")
        try setup.expectSameRootfs(destination)
    }

    @Test func resumeAnsweredWithWholeBlobRestartsCleanly() throws {
        let setup = try Setup("fault/norange")
        try setup.proxy.configure(FaultProxyConfig(cutBlobBody: .init(afterBytes: 150_000, times: 1), ignoreRange: true))
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try setup.proxy.stats().ranges == ["bytes=150000-"])
        try setup.expectSameRootfs(destination)
    }

    /// `pull` goes through the same transfer as `in`: a resume the server
    /// refuses starts the copy over, and the result is the same rootfs.
    @Test func pullSurvivesARefusedResumeLikeIn() throws {
        let setup = try Setup("fault/pullnorange")
        try setup.proxy.configure(FaultProxyConfig(cutBlobBody: .init(afterBytes: 150_000, times: 1), ignoreRange: true))
        let destination = try TemporaryDirectory(prefix: "fault-pull")
        let result = try ResourceRunner.run(["pull", "\(setup.repository)@\(setup.digest)", destination.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("starting the transfer over"), "\(result.stderr)")
        #expect(try setup.proxy.stats().ranges == ["bytes=150000-"])
        try setup.expectSameRootfs(destination)
    }

    @Test func headNotAllowedAndDigestHeaderStripped() throws {
        let setup = try Setup("fault/head")
        try setup.proxy.configure(FaultProxyConfig(headNotAllowed: true, stripDigestHeader: true))
        let check = try ResourceRunner.run(["check"], request: ["source": ["repository": setup.repository, "tag": "v1"]])
        #expect(check.status == 0, "\(check.stderr)")
        let versions = try JSONSerialization.jsonObject(with: check.stdout) as? [[String: String]]
        #expect(versions == [["tag": "v1", "digest": setup.digest]])
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 0, "\(result.stderr)")
        try setup.expectSameRootfs(destination)
        #expect(try setup.proxy.stats().headNotAllowed >= 1)
    }

    @Test func lastTryFailsHonestlyAndLeavesNothing() throws {
        let setup = try Setup("fault/down")
        try setup.proxy.configure(FaultProxyConfig(serviceUnavailable: .init(count: 1000, pathPattern: "/blobs/")))
        let destination = try TemporaryDirectory(prefix: "fault-in")
        let result = try setup.fetch(into: destination)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.contains("503") == true, "\(result.stderr)")
        #expect(lines.first?.contains("attempts") == true || lines.first?.contains("tries") == true, "\(result.stderr)")
        for name in ["rootfs", "metadata.json", "labels.json", "digest"] {
            #expect(!FileManager.default.fileExists(atPath: destination.path + "/" + name), "\(name) left behind")
        }
        #expect(Self.leftovers(destination) == [])
    }

    @Test(arguments: ["rootfs", "oci-layout", "oci"]) func sigtermMidFetchLeavesNothing(format: String) throws {
        let setup = try Setup("fault/term-\(format)")
        // Every request waits, so the process is reliably mid-fetch when told to stop.
        try setup.proxy.configure(FaultProxyConfig(latencyMs: 700))
        let destination = try TemporaryDirectory(prefix: "fault-term")
        let request = ResourceRunner.inRequest(
            repository: setup.repository, digest: setup.digest, params: ["format": format])
        let process = try ResourceRunner.start(
            ["in", destination.path], stdin: try JSONSerialization.data(withJSONObject: request))
        // Wait until a staging directory exists, then stop the fetch.
        let deadline = ContinuousClock.now + .seconds(30)
        while Self.leftovers(destination).isEmpty, process.isRunning, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(process.isRunning, "the fetch ended before it could be interrupted")
        #expect(!Self.leftovers(destination).isEmpty)
        process.signal(SIGTERM)
        #expect(process.wait().status == 128 + SIGTERM)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
        #expect(names.filter { ["rootfs", "oci", "image.tar", "metadata.json", "digest"].contains($0) || $0.contains(".partial-") } == [],
                "left behind: \(names)")
    }
}
