import Foundation
import Glibc
import TestSupport
import Testing

/// `registry-image extract SOURCE ROOTFS` through the executable: OCI layouts
/// (built by Python), docker-archive and OCI archive tarballs (made by skopeo),
/// run without any network where possible (`unshare -n` as root).
@Suite("extract end to end", .serialized)
struct ExtractTests {
    /// `unshare -n` gives the process a network namespace with nothing in it.
    static let offline: [String] = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
        ? ["/usr/bin/unshare", "-n"] : []

    static func extract(_ arguments: [String]) throws -> CommandResult {
        try ResourceRunner.run(["extract"] + arguments, wrapper: offline)
    }

    @Test func helpDocumentsSourcesAndOptions() throws {
        let result = try ResourceRunner.run(["extract", "--help"])
        #expect(result.status == 0)
        let help = result.stdoutString + result.stderr
        for fragment in ["USAGE: registry-image extract <source> <rootfs>", "OCI", "docker-archive", "--platform",
                         "--digest", "no network"] {
            #expect(help.contains(fragment), "missing '\(fragment)' in:\n\(help)")
        }
        let top = try ResourceRunner.run(["--help"])
        #expect(top.status == 0 && (top.stdoutString + top.stderr).contains("extract"))
    }

    @Test func layoutDockerArchiveAndOCIArchiveGiveUmocisTree() throws {
        let spec = FetchFixtures.layerRuleImage()
        let layout = try buildFixture(spec)
        let work = try TemporaryDirectory(prefix: "extract")
        let dockerArchive = work.appending("image-docker.tar").path
        let ociArchive = work.appending("image-oci.tar").path
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(layout.url.path):rules",
                                             "docker-archive:\(dockerArchive):e2e/rules:v1"])
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(layout.url.path):rules",
                                             "oci-archive:\(ociArchive):rules"])

        var reference: FileTree?
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/umoci") {
            try umociUnpack(layout: layout.url, tag: "rules", to: work.appending("umoci"))
            reference = FileTree(work.appending("umoci/rootfs"))
        }
        for (name, source) in [("layout", layout.url.path), ("docker", dockerArchive), ("oci-archive", ociArchive)] {
            let rootfs = work.appending("rootfs-\(name)")
            let result = try Self.extract([source, rootfs.path])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.isEmpty, "nothing on stdout")
            FetchFixtures.expectLayerRules(in: rootfs)
            if let reference {
                let differences = try FileTree(rootfs).differences(from: reference)
                #expect(differences.isEmpty, "\(name):\n\(differences.joined(separator: "\n"))")
            }
        }
        // No staging directories left beside the results.
        #expect(FetchRequests.names(work.url).allSatisfy { !$0.contains("partial") })
    }

    @Test func zstdLayersFromALayout() throws {
        let spec = FetchFixtures.layerRuleImage(
            tag: "z", layers: FetchFixtures.layerRuleLayers(first: .zstd, middle: .zstdLabelledGzip, last: .none))
        let layout = try buildFixture(spec)
        let work = try TemporaryDirectory(prefix: "extract")
        let result = try Self.extract([layout.url.path, work.appending("rootfs").path])
        #expect(result.status == 0, "\(result.stderr)")
        FetchFixtures.expectLayerRules(in: work.appending("rootfs"))
    }

    @Test func platformAndDigestSelectFromAnIndexLayout() throws {
        let images = [("amd64", nil), ("arm64", "v8"), ("arm", "v7")].map { (architecture: String, variant: String?) in
            ImageSpec(architecture: architecture, variant: variant,
                      layers: [LayerSpec([.file("arch", "\(architecture)/\(variant ?? "-")")])])
        }
        let layout = try buildFixture(IndexSpec(tag: "multi", images: images))
        let manifests = try #require(layout.image.manifests)
        let work = try TemporaryDirectory(prefix: "extract")

        func run(_ name: String, _ options: [String]) throws -> (CommandResult, String?) {
            let rootfs = work.appending(name)
            let result = try Self.extract([layout.url.path, rootfs.path] + options)
            return (result, FileTree(rootfs).contents("arch"))
        }
        #expect(try run("arm64", ["--platform", "linux/arm64/v8"]).1 == "arm64/v8")
        #expect(try run("armv7", ["--platform", "linux/arm/v7"]).1 == "arm/v7")
        #if arch(x86_64)
        #expect(try run("host", []).1 == "amd64/-")
        #endif
        let armDigest = try #require(manifests.first { $0.platform.architecture == "arm" }?.digest)
        #expect(try run("by-digest", ["--digest", armDigest]).1 == "arm/v7")
        #expect(try run("index-digest", ["--digest", layout.image.manifestDigest, "--platform", "linux/arm64"]).1 == "arm64/v8")

        let (missing, content) = try run("missing", ["--platform", "linux/s390x"])
        FetchRequests.expectCleanFailure(missing, mentioning: "s390x")
        #expect(content == nil && !FileManager.default.fileExists(atPath: work.appending("missing").path))
        let (badDigest, _) = try run("bad-digest", ["--digest", "sha256:" + String(repeating: "e", count: 64)])
        FetchRequests.expectCleanFailure(badDigest)
    }

    @Test func corruptBlobLeavesNoRootfs() throws {
        let spec = ImageSpec(tag: "v1", layers: [
            LayerSpec([.file("one", "1")]), LayerSpec([.randomFile("two", size: 100_000, seed: "x")]),
        ])
        let layout = try buildFixture(spec)
        let last = try #require(layout.image.layers?.last?.digest)
        let blob = layout.url.appendingPathComponent("blobs/sha256/\(last.dropFirst(7))")
        var bytes = try Data(contentsOf: blob)
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: blob)

        let work = try TemporaryDirectory(prefix: "extract")
        let result = try Self.extract([layout.url.path, work.appending("rootfs").path])
        FetchRequests.expectCleanFailure(result)
        #expect(result.stderr.contains(String(last.dropFirst(7).prefix(12))), "\(result.stderr)")
        #expect(FetchRequests.names(work.url).isEmpty, "left: \(FetchRequests.names(work.url))")
    }

    @Test func refusesANonEmptyRootfsAndBadSources() throws {
        let layout = try buildFixture(ImageSpec(tag: "v1", layers: [LayerSpec([.file("f", "f")])]))
        let work = try TemporaryDirectory(prefix: "extract")
        let occupied = work.appending("occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: occupied.appendingPathComponent("keep"))

        FetchRequests.expectCleanFailure(try Self.extract([layout.url.path, occupied.path]), mentioning: "not empty")
        #expect(FetchRequests.names(occupied) == ["keep"])

        // An empty existing directory is fine.
        let empty = work.appending("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let ok = try Self.extract([layout.url.path, empty.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileTree(empty).contents("f") == "f")

        let notAnImage = work.appending("not-an-image.tar")
        try Data("plain text, not a tarball".utf8).write(to: notAnImage)
        FetchRequests.expectCleanFailure(try Self.extract([notAnImage.path, work.appending("r1").path]))
        FetchRequests.expectCleanFailure(try Self.extract([work.appending("nowhere").path, work.appending("r2").path]))
        #expect(!FileManager.default.fileExists(atPath: work.appending("r1").path))
    }
}
