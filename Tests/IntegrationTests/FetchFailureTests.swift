import Foundation
import TestSupport
import Testing

/// Bad input and broken registries through the executable: one `error:` line,
/// non-zero exit, no crash and nothing that looks like a finished rootfs.
@Suite("in: failures end to end", .serialized)
struct FetchFailureTests {
    static let image = ImageSpec(tag: "v1", layers: [
        LayerSpec([.dir("etc"), .file("etc/one", "1")]),
        LayerSpec([.randomFile("big", size: 200_000, seed: "corrupt")]),
    ])

    /// Corrupting each layer (the first: later layers never run; the last: all
    /// entries are on disk before the digest is known) and the config.
    @Test(arguments: ["first-layer", "last-layer", "config"])
    func corruptBlobInStorageFailsWithoutARootfs(which: String) throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "e2e/corrupt")
        let layers = try #require(pushed.image.layers)
        let blob: String
        switch which {
        case "first-layer": blob = layers[0].digest
        case "last-layer": blob = layers[1].digest
        default: blob = try #require(pushed.image.config)
        }
        try registry.corruptBlob(digest: blob, atOffset: 40)

        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try FetchRequests.runIn(
            dest.url, source: FetchRequests.source(registry, "e2e/corrupt"), version: ["tag": "v1", "digest": pushed.manifestDigest])
        FetchRequests.expectCleanFailure(result)
        #expect(result.stderr.contains(String(blob.dropFirst(7).prefix(12))), "names the blob: \(result.stderr)")
        // No rootfs, no metadata, no staging directory left behind.
        let left = FetchRequests.names(dest.url)
        #expect(!left.contains("rootfs") && !left.contains("metadata.json") && !left.contains("digest"), "\(left)")
        #expect(left.allSatisfy { !$0.contains("partial") }, "\(left)")
    }

    @Test func missingImageAndMissingRepositoryFailCleanly() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "e2e/present")
        let absent = "sha256:" + String(repeating: "0", count: 64)
        for (repository, digest) in [("e2e/present", absent), ("e2e/absent", pushed.manifestDigest)] {
            let dest = try TemporaryDirectory(prefix: "in-dest")
            let result = try FetchRequests.runIn(
                dest.url, source: FetchRequests.source(registry, repository), version: ["digest": digest])
            FetchRequests.expectCleanFailure(result)
            #expect(!FetchRequests.names(dest.url).contains("rootfs"))
        }
    }

    /// Malformed and ill-typed requests, each with the field (or problem) named.
    @Test(arguments: [
        ("{", "malformed"),
        ("[]", "object"),
        (#"{"source":{"repository":"r","bogus":1},"version":{"digest":"sha256:00"}}"#, "source.bogus"),
        (#"{"source":{"repository":"r"},"version":{"digest":"sha256:00"},"params":{"fromat":"rootfs"}}"#, "params.fromat"),
        (#"{"source":{},"version":{"digest":"sha256:00"}}"#, "source.repository"),
        (#"{"source":{"repository":7},"version":{"digest":"sha256:00"}}"#, "source.repository"),
        (#"{"source":{"repository":"r","insecure":"yes"},"version":{"digest":"sha256:00"}}"#, "source.insecure"),
        (#"{"source":{"repository":"r","ca_certs":"pem"},"version":{"digest":"sha256:00"}}"#, "source.ca_certs"),
        (#"{"source":{"repository":"r"},"version":{"digest":"sha256:00"},"params":{"format":"zip"}}"#, "format"),
        (#"{"source":{"repository":"r"},"version":{"tag":"v1"}}"#, "digest"),
        (#"{"source":{"repository":"r"},"version":{"digest":"md5:abc"}}"#, "digest"),
        (#"{"source":{"repository":"r","aws_region":"x","aws_role_arn":"a","aws_role_arns":["b"]},"version":{"digest":"sha256:00"}}"#, "aws_role_arns"),
        (#"{"source":{"repository":"r","content_trust":{}},"version":{"digest":"sha256:00"}}"#, "content_trust"),
    ])
    func badRequestsNameTheProblem(request: String, fragment: String) throws {
        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try ResourceRunner.run(["in", dest.path], stdin: Data(request.utf8))
        FetchRequests.expectCleanFailure(result, mentioning: fragment)
        #expect(FetchRequests.names(dest.url).isEmpty)
    }

    @Test func missingDestinationArgumentIsAUsageError() throws {
        let result = try ResourceRunner.run(["in"], stdin: Data("{}".utf8))
        #expect(result.status != 0)
        #expect(result.stderr.contains("destination"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    /// Concourse aborts a build with SIGTERM: the half-extracted tree goes away.
    @Test func sigtermMidFetchLeavesNothingBehind() throws {
        let registry = try TestRegistry(.plain)
        let layers = (0..<6).map { LayerSpec([.randomFile("layer\($0)", size: 50_000, seed: "\($0)")]) }
        let pushed = try push(ImageSpec(tag: "slow", layers: layers), to: registry, repository: "e2e/slow")
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(latencyMs: 600))
        let dest = try TemporaryDirectory(prefix: "in-dest")
        let request = try JSONSerialization.data(withJSONObject: [
            "source": ["repository": "\(proxy.url)/e2e/slow"], "version": ["digest": pushed.manifestDigest],
        ])
        let process = try ResourceRunner.start(["in", dest.path], stdin: request)
        // Wait for the staging directory (extraction has begun), then stop the fetch.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning,
              !FetchRequests.names(dest.url).contains(where: { $0.contains("partial") }) {
            usleep(20_000)
        }
        #expect(process.isRunning, "the fetch was expected to take longer")
        usleep(700_000)
        process.signal(SIGTERM)
        #expect(process.wait().status == 128 + SIGTERM)
        #expect(FetchRequests.names(dest.url).isEmpty, "left: \(FetchRequests.names(dest.url))")
    }
}
