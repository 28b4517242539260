import Foundation
import Testing
import TestSupport

/// `copy SOURCE DESTINATION` through the executable, each result read back
/// by skopeo: the digest it computes from the bytes it reads must be the
/// one the source had.
@Suite("registry-image copy", .serialized)
struct CLICopyTests {
    static func copy(_ arguments: [String]) throws -> CommandResult {
        try ResourceRunner.run(["copy"] + arguments)
    }

    /// sha256 of the manifest skopeo reads at `name` (any transport).
    static func skopeoDigest(_ name: String) throws -> String {
        let flags = name.hasPrefix("docker://") ? ["--tls-verify=false"] : []
        return try ExternalDigest.sha256(try ExternalCommand.check("skopeo", ["inspect", "--raw"] + flags + [name]))
    }

    static func skopeoConfigDigest(_ name: String) throws -> String {
        let flags = name.hasPrefix("docker://") ? ["--tls-verify=false"] : []
        return try ExternalDigest.sha256(try ExternalCommand.check("skopeo", ["inspect", "--raw", "--config"] + flags + [name]))
    }

    static func expectCopied(_ result: CommandResult, digest: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines) == digest, sourceLocation: sourceLocation)
    }

    @Test func roundTripsInEveryDirectionKeepTheDigest() throws {
        let registry = try TestRegistry(.plain)
        let layout = try buildFixture(FetchFixtures.layerRuleImage())
        let digest = layout.image.manifestDigest
        let work = try TemporaryDirectory(prefix: "cli-copy")
        let r = "docker://\(registry.url)/copy"

        // layout → registry → layout, dir, oci-archive → registry again.
        Self.expectCopied(try Self.copy(["oci:\(layout.url.path):rules", "\(r)/a:v1"]), digest: digest)
        #expect(try Self.skopeoDigest("\(r)/a:v1") == digest)
        let legs: [(to: String, skopeoName: String, back: String)] = [
            ("oci:\(work.appending("layout").path):v1", "oci:\(work.appending("layout").path):v1", "\(r)/from-layout:v1"),
            ("dir:\(work.appending("dir").path)", "dir:\(work.appending("dir").path)", "\(r)/from-dir:v1"),
            ("oci-archive:\(work.appending("image.tar").path):v1", "oci-archive:\(work.appending("image.tar").path):v1",
             "\(r)/from-archive:v1"),
        ]
        for leg in legs {
            Self.expectCopied(try Self.copy(["\(r)/a:v1", leg.to]), digest: digest)
            #expect(try Self.skopeoDigest(leg.skopeoName) == digest, "\(leg.to)")
            Self.expectCopied(try Self.copy([leg.to, leg.back]), digest: digest)
            #expect(try Self.skopeoDigest(leg.back) == digest, "\(leg.back)")
        }
        // Disk to disk, no registry between.
        Self.expectCopied(try Self.copy(["oci:\(layout.url.path):rules", "dir:\(work.appending("dir2").path)"]), digest: digest)
        Self.expectCopied(try Self.copy(["dir:\(work.appending("dir2").path)", "oci:\(work.appending("layout2").path)"]), digest: digest)
        #expect(try Self.skopeoDigest("oci:\(work.appending("layout2").path)") == digest)

        // A docker-archive keeps the config and layers (its manifest is docker's own).
        let config = try #require(layout.image.config)
        let archive = work.appending("docker.tar").path
        let toArchive = try Self.copy(["\(r)/a:v1", "docker-archive:\(archive):copy/a:v1"])
        #expect(toArchive.status == 0, "\(toArchive.stderr)")
        #expect(try Self.skopeoConfigDigest("docker-archive:\(archive)") == config)
        let fromArchive = try Self.copy(["docker-archive:\(archive)", "\(r)/from-docker:v1"])
        #expect(fromArchive.status == 0, "\(fromArchive.stderr)")
        #expect(try Self.skopeoConfigDigest("\(r)/from-docker:v1") == config)

        // rootfs from a registry and from a layout.
        for (name, source) in [("registry", "\(r)/a:v1"), ("layout", "oci:\(layout.url.path):rules")] {
            let rootfs = work.appending("rootfs-\(name)")
            let result = try Self.copy([source, "rootfs:\(rootfs.path)"])
            #expect(result.status == 0, "\(result.stderr)")
            FetchFixtures.expectLayerRules(in: rootfs)
        }
    }

    @Test func anIndexIsCopiedWholeBetweenRegistriesAndPlatformPicksOne() throws {
        let source = try TestRegistry(.plain)
        let target = try TestRegistry(.plain)
        let pushed = try push(PushHarness.index, to: source, repository: "copy/multi")
        let children = try #require(pushed.image.manifests)
        let from = "docker://\(source.url)/copy/multi:multi"

        Self.expectCopied(try Self.copy([from, "docker://\(target.url)/copy/multi:multi"]), digest: pushed.manifestDigest)
        #expect(try Self.skopeoDigest("docker://\(target.url)/copy/multi:multi") == pushed.manifestDigest)
        for child in children {
            #expect(try Self.skopeoDigest("docker://\(target.url)/copy/multi@\(child.digest)") == child.digest)
        }
        let arm = try #require(children.first { $0.platform.architecture == "arm64" })
        Self.expectCopied(try Self.copy(["--platform", "linux/arm64", from, "docker://\(target.url)/copy/arm:v1"]), digest: arm.digest)
        #expect(try Self.skopeoDigest("docker://\(target.url)/copy/arm:v1") == arm.digest)

        // The whole index into a layout, then back out by digest.
        let work = try TemporaryDirectory(prefix: "cli-copy")
        Self.expectCopied(try Self.copy([from, "oci:\(work.appending("l").path):multi"]), digest: pushed.manifestDigest)
        Self.expectCopied(try Self.copy(["oci:\(work.appending("l").path):multi", "docker://\(target.url)/copy/back@\(pushed.manifestDigest)"]),
                          digest: pushed.manifestDigest)
    }

    /// Registry to registry, every blob streams from one to the other: the
    /// process creates, writes or renames no file at all (strace sees every
    /// open).
    @Test func registryToRegistryTouchesNoDisk() throws {
        let source = try TestRegistry(.plain)
        let target = try TestRegistry(.plain)
        let pushed = try push(PushHarness.image, to: source, repository: "copy/stream")
        let work = try TemporaryDirectory(prefix: "cli-copy")
        let trace = work.appending("trace.log").path
        let result = try ExternalCommand.run("strace", [
            "-f", "-qq", "-e", "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat",
            "-o", trace, ResourceRunner.executable.path, "copy",
            "docker://\(source.url)/copy/stream:v1", "docker://\(target.url)/copy/stream:v1"])
        Self.expectCopied(result, digest: pushed.manifestDigest)
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(calls.contains { $0.contains("openat(") }, "strace saw no opens at all")
        let writes = calls.filter { line in
            ["O_WRONLY", "O_RDWR", "O_CREAT", "mkdir", "rename", "unlink", "creat("].contains { line.contains($0) }
        }
        #expect(writes.isEmpty, "file writes during a registry-to-registry copy:\n\(writes.prefix(10).joined(separator: "\n"))")
        #expect(try Self.skopeoDigest("docker://\(target.url)/copy/stream:v1") == pushed.manifestDigest)
    }

    @Test func withinOneRegistryBlobsAreMountedAndPresentOnesSkipped() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        let pushed = try push(PushHarness.image, to: registry, repository: "copy/src")
        func uploads() throws -> Int {
            try proxy.stats().requests.filter { $0.key.hasPrefix("PUT ") && $0.key.contains("/blobs/uploads/") }.values.reduce(0, +)
        }
        try proxy.resetStats()
        Self.expectCopied(try Self.copy(["docker://\(proxy.url)/copy/src:v1", "docker://\(proxy.url)/copy/dst:v1"]),
                          digest: pushed.manifestDigest)
        #expect(try uploads() == 0, "blobs were uploaded instead of mounted")
        let mounts = try proxy.stats().requests["POST /v2/copy/dst/blobs/uploads/"] ?? 0
        #expect(mounts == 3, "config and two layers mounted")

        try proxy.resetStats()
        Self.expectCopied(try Self.copy(["docker://\(proxy.url)/copy/src:v1", "docker://\(proxy.url)/copy/dst:v2"]),
                          digest: pushed.manifestDigest)
        let stats = try proxy.stats()
        #expect(try uploads() == 0)
        #expect(stats.requests["POST /v2/copy/dst/blobs/uploads/"] == nil, "present blobs are skipped after HEAD")
        #expect((stats.requests.filter { $0.key.hasPrefix("HEAD /v2/copy/dst/blobs/") }.values.reduce(0, +)) == 3)
        #expect(try Self.skopeoDigest("docker://\(registry.url)/copy/dst:v2") == pushed.manifestDigest)
    }

    @Test func failuresAndUsage() throws {
        let work = try TemporaryDirectory(prefix: "cli-copy")
        let layout = try buildFixture(PushHarness.image)
        let unqualified = try Self.copy(["oci:\(layout.url.path):v1", work.appending("x").path])
        FetchRequests.expectCleanFailure(unqualified, mentioning: "transport")
        let notSource = try Self.copy(["rootfs:/tmp/r", "dir:\(work.appending("y").path)"])
        FetchRequests.expectCleanFailure(notSource, mentioning: "destination")
        // A corrupt blob fails the copy and leaves no destination.
        let last = try #require(layout.image.layers?.last?.digest)
        let blob = layout.url.appendingPathComponent("blobs/sha256/\(last.dropFirst(7))")
        var bytes = try Data(contentsOf: blob)
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: blob)
        let corrupt = try Self.copy(["oci:\(layout.url.path):v1", "dir:\(work.appending("z").path)"])
        FetchRequests.expectCleanFailure(corrupt, mentioning: String(last.dropFirst(7).prefix(12)))
        #expect(!FileManager.default.fileExists(atPath: work.appending("z").path))
        let registry = try TestRegistry(.plain)
        let wrongDigest = "sha256:" + String(repeating: "0", count: 64)
        let byDigest = try Self.copy(["oci:\(layout.url.path):v1", "docker://\(registry.url)/copy/pinned@\(wrongDigest)"])
        FetchRequests.expectCleanFailure(byDigest, mentioning: wrongDigest)
        let usage = try Self.copy(["only-one"])
        #expect(usage.status == 2)
    }
}
