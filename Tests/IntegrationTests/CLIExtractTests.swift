import Foundation
import Testing
import TestSupport

/// `extract` from skopeo's `dir:` blob directories, by transport name, and
/// from bare `--layer` blobs, through the executable.
@Suite("registry-image extract: dir and --layer", .serialized)
struct CLIExtractTests {
    static func extract(_ arguments: [String]) throws -> CommandResult {
        try ResourceRunner.run(["extract"] + arguments, wrapper: ExtractTests.offline)
    }

    /// A layout of the layer-rules image and skopeo's `dir:` copy of it.
    static func blobDirectory() throws -> (FixtureLayout, TemporaryDirectory, URL) {
        let layout = try buildFixture(FetchFixtures.layerRuleImage())
        let work = try TemporaryDirectory(prefix: "cli-extract")
        let dir = work.appending("dir")
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(layout.url.path):rules", "dir:\(dir.path)"])
        return (layout, work, dir)
    }

    @Test func skopeoDirByPrefixAndByContent() throws {
        let (_, work, dir) = try Self.blobDirectory()
        for (name, source) in [("prefixed", "dir:\(dir.path)"), ("bare", dir.path)] {
            let rootfs = work.appending("rootfs-\(name)")
            let result = try Self.extract([source, rootfs.path])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            FetchFixtures.expectLayerRules(in: rootfs)
        }
    }

    @Test func transportNamesPickTheImage() throws {
        let layout = try buildFixture(FetchFixtures.layerRuleImage())
        let work = try TemporaryDirectory(prefix: "cli-extract")
        let result = try Self.extract(["oci:\(layout.url.path):rules", work.appending("r").path])
        #expect(result.status == 0, "\(result.stderr)")
        FetchFixtures.expectLayerRules(in: work.appending("r"))
        let wrongTag = try Self.extract(["oci:\(layout.url.path):nope", work.appending("n").path])
        FetchRequests.expectCleanFailure(wrongTag, mentioning: "nope")
        // docker:// is a source like any other (this one leaves the network namespace alone).
        let registry = try TestRegistry(.plain)
        try push(FetchFixtures.layerRuleImage(), to: registry, repository: "extract/rules")
        let fetched = try ResourceRunner.run(["extract", "docker://\(registry.url)/extract/rules:rules", work.appending("d").path])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        FetchFixtures.expectLayerRules(in: work.appending("d"))
    }

    @Test func bareLayersInOrderVerifiedByTheirFileNames() throws {
        let (layout, work, dir) = try Self.blobDirectory()
        let layers = try #require(layout.image.layers).map { dir.appendingPathComponent(String($0.digest.dropFirst(7))).path }
        let rootfs = work.appending("rootfs")
        let result = try Self.extract(layers.flatMap { ["--layer", $0] } + [rootfs.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("without verification"))
        FetchFixtures.expectLayerRules(in: rootfs)

        // A corrupted blob named by its digest fails and leaves nothing.
        let corrupt = work.appending("corrupt")
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        let last = try #require(layers.last)
        let copy = corrupt.appendingPathComponent((last as NSString).lastPathComponent)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: last))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: copy)
        let failed = try Self.extract(layers.dropLast().flatMap { ["--layer", $0] } + ["--layer", copy.path, work.appending("bad").path])
        FetchRequests.expectCleanFailure(failed, mentioning: "layer 3 of 3 (\(try #require(layout.image.layers?.last?.digest))")
        #expect(!FileManager.default.fileExists(atPath: work.appending("bad").path))
    }

    @Test func explicitDigestsAndUnverifiedLayers() throws {
        let (layout, work, dir) = try Self.blobDirectory()
        let built = try #require(layout.image.layers)
        // Renamed files: the digest comes from FILE@sha256:…, or nowhere.
        var renamed: [String] = []
        for (index, layer) in built.enumerated() {
            let path = work.appending("layer\(index).blob").path
            try FileManager.default.copyItem(atPath: dir.appendingPathComponent(String(layer.digest.dropFirst(7))).path, toPath: path)
            renamed.append(path)
        }
        let pinned = try Self.extract(zip(renamed, built).flatMap { ["--layer", "\($0)@\($1.digest)"] } + [work.appending("pinned").path])
        #expect(pinned.status == 0, "\(pinned.stderr)")
        FetchFixtures.expectLayerRules(in: work.appending("pinned"))

        let wrong = try Self.extract(["--layer", "\(renamed[0])@\(built[1].digest)", work.appending("wrong").path])
        FetchRequests.expectCleanFailure(wrong, mentioning: String(built[1].digest.dropFirst(7).prefix(12)))
        #expect(!FileManager.default.fileExists(atPath: work.appending("wrong").path))

        let unverified = try Self.extract(renamed.flatMap { ["--layer", $0] } + [work.appending("unverified").path])
        #expect(unverified.status == 0, "\(unverified.stderr)")
        #expect(unverified.stderr.contains("layer0.blob: no digest given or in its name; applied without verification"))
        FetchFixtures.expectLayerRules(in: work.appending("unverified"))
    }

    @Test func usageErrorsExitTwo() throws {
        for arguments in [["only-one"], ["--layer", "a.tar", "src", "rootfs"], ["--layer", "a.tar", "--platform", "linux/arm64", "r"], []] {
            let result = try Self.extract(arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
        }
        let missing = try Self.extract(["--layer", "/nonexistent.tar", "/tmp/never-created-rootfs"])
        #expect(missing.status == 1)
        FetchRequests.expectCleanFailure(missing, mentioning: "/nonexistent.tar")
    }
}
