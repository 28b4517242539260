import Foundation
import Glibc
import TestSupport
import Testing

/// `in DEST` (rootfs format) through the built executable against a real
/// registry; fixtures built by Python and pushed by skopeo / push_raw.py, and
/// the rootfs cross-checked with `umoci unpack` of the same layout.
@Suite("in: rootfs end to end", .serialized)
struct FetchRootfsTests {
    static let umociAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/umoci")

    @Test func layerRulesMatchUmociAndFilesFollowTheContract() throws {
        let registry = try TestRegistry(.plain)
        let spec = FetchFixtures.layerRuleImage()
        let layout = try buildFixture(spec)
        let digest = try pushLayout(layout.url, layoutTag: spec.tag, to: registry, repository: "e2e/rules", tag: "v1")
        #expect(digest == layout.image.manifestDigest)

        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try FetchRequests.runIn(
            dest.url, source: FetchRequests.source(registry, "e2e/rules", extra: ["tag": "v1"]),
            version: ["tag": "v1", "digest": digest])
        #expect(result.status == 0, "stderr: \(result.stderr)")

        // Response: the version as given, repository and tag metadata.
        let response = try #require(try ResourceRunner.json(result) as? [String: Any])
        #expect(response["version"] as? [String: String] == ["tag": "v1", "digest": digest])
        let metadata = try #require(response["metadata"] as? [[String: String]])
        #expect(metadata.prefix(2) == [["name": "repository", "value": "\(registry.url)/e2e/rules"], ["name": "tag", "value": "v1"]])

        // Files: exactly these, with upstream's content.
        #expect(FetchRequests.names(dest.url) == ["digest", "labels.json", "metadata.json", "repository", "rootfs", "tag"])
        let file = { (name: String) in String(decoding: (try? Data(contentsOf: dest.appending(name))) ?? Data(), as: UTF8.self) }
        #expect(file("repository") == "\(registry.url)/e2e/rules")
        #expect(file("tag") == "v1")
        #expect(file("digest") == digest)
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(file("metadata.json").utf8)) as? [String: Any])
        #expect(meta["cmd"] as? [String] == ["/bin/sh"])
        #expect(meta["entrypoint"] as? [String] == ["/init"])
        #expect(meta["env"] as? [String] == ["PATH=/usr/bin:/bin", "A=1"])
        #expect(meta["user"] as? String == "1000:1001")
        #expect(Set(meta.keys) == ["cmd", "entrypoint", "env", "user"])
        let labels = try JSONSerialization.jsonObject(with: Data(file("labels.json").utf8)) as? [String: String]
        #expect(labels == ["org.example.team": "h9", "tier": "test"])

        // Progress goes to stderr, one line per layer at least; stdout is only the response.
        for layer in 1...3 { #expect(result.stderr.contains("layer \(layer)/3")) }
        #expect(!result.stdoutString.contains("layer 1/3"))

        let rootfs = dest.appending("rootfs")
        FetchFixtures.expectLayerRules(in: rootfs)

        if Self.umociAvailable {
            let bundle = try TemporaryDirectory(prefix: "umoci")
            try umociUnpack(layout: layout.url, tag: spec.tag, to: bundle.appending("b"))
            let differences = try FileTree(rootfs).differences(from: FileTree(bundle.appending("b/rootfs")))
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
    }

    /// Docker media types, zstd, uncompressed and mislabelled zstd layers give
    /// the same tree as umoci's unpack of a gzip twin of the same entries.
    @Test(arguments: [MediaTypeFamily.docker, .oci])
    func compressionsAndMediaTypesMatchGzipTwin(family: MediaTypeFamily) throws {
        let registry = try TestRegistry(.plain)
        let spec = FetchFixtures.layerRuleImage(
            mediaTypes: family, layers: FetchFixtures.layerRuleLayers(first: .zstd, middle: .none, last: .zstdLabelledGzip))
        let layout = try buildFixture(spec)
        let digest = try pushLayout(layout.url, layoutTag: spec.tag, to: registry, repository: "e2e/zstd", tag: "z",
                                    method: family == .oci ? .skopeo : .raw)
        let manifest = try skopeoInspect(registry, repository: "e2e/zstd", reference: "z", raw: true)
        let mediaType = (try JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["mediaType"] as? String
        #expect(mediaType == (family == .oci ? "application/vnd.oci.image.manifest.v1+json"
                                             : "application/vnd.docker.distribution.manifest.v2+json"))

        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try FetchRequests.runIn(
            dest.url, source: FetchRequests.source(registry, "e2e/zstd"), version: ["tag": "z", "digest": digest])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        FetchFixtures.expectLayerRules(in: dest.appending("rootfs"))

        if Self.umociAvailable {
            let twin = try buildFixture(FetchFixtures.layerRuleImage())
            let bundle = try TemporaryDirectory(prefix: "umoci")
            try umociUnpack(layout: twin.url, tag: "rules", to: bundle.appending("b"))
            let differences = try FileTree(dest.appending("rootfs")).differences(from: FileTree(bundle.appending("b/rootfs")))
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
    }

    @Test func hostileLayersNeverLeaveTheRootfs() throws {
        let marker = "h9-escape-\(UUID().uuidString.prefix(8))"
        let registry = try TestRegistry(.plain)
        let spec = ImageSpec(tag: "evil", layers: [
            LayerSpec([
                .file("etc/passwd", "rootfs's own passwd\n"),
                .file("../\(marker)-dotdot", "dotdot"), .file("/\(marker)-abs", "abs"),
                .file("a/../../../\(marker)-deep", "deep"),
                .symlink("rootlink", to: "/"), .symlink("uplink", to: "../.."),
            ], format: .gnu),
            LayerSpec([
                .file("rootlink/tmp/\(marker)-via-root", "via root"),
                .file("uplink/\(marker)-via-up", "via up"),
                .hardlink("pw", to: "/etc/passwd"), .hardlink("pw2", to: "../../etc/passwd"),
            ], format: .gnu),
        ])
        let pushed = try push(spec, to: registry, repository: "e2e/evil")
        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try FetchRequests.runIn(
            dest.url, source: FetchRequests.source(registry, "e2e/evil"), version: ["digest": pushed.manifestDigest])
        #expect(result.status == 0, "stderr: \(result.stderr)")

        let tree = FileTree(dest.appending("rootfs"))
        // Everything landed inside the rootfs, clamped to it.
        #expect(tree.contents("\(marker)-dotdot") == "dotdot")
        #expect(tree.contents("\(marker)-abs") == "abs")
        #expect(tree.contents("\(marker)-deep") == "deep")
        #expect(tree.contents("tmp/\(marker)-via-root") == "via root")
        #expect(tree.contents("\(marker)-via-up") == "via up")
        #expect(tree.linkTarget("rootlink") == "/" && tree.linkTarget("uplink") == "../..")
        // The hardlinks mean the rootfs's passwd, never the host's.
        let own = try #require(tree.info("etc/passwd"))
        #expect(tree.info("pw")?.st_ino == own.st_ino && tree.info("pw2")?.st_ino == own.st_ino)
        #expect(tree.contents("pw") == "rootfs's own passwd\n")
        var host = stat()
        #expect(stat("/etc/passwd", &host) == 0 && host.st_ino != own.st_ino)
        // Nothing outside: not beside the rootfs, not above DEST, not on the host.
        #expect(FetchRequests.names(dest.url) == ["digest", "labels.json", "metadata.json", "repository", "rootfs", "tag"])
        let parent = dest.url.deletingLastPathComponent()
        for candidate in [parent.path, "/", "/tmp"] {
            let leaked = FetchRequests.names(URL(fileURLWithPath: candidate)).filter { $0.contains(marker) }
            #expect(leaked.isEmpty, "escaped into \(candidate): \(leaked)")
        }
    }

    /// A multi-arch index: the host's platform by default, `source.platform`,
    /// and `params.platform` over it, including variants.
    @Test(arguments: [MediaTypeFamily.oci, .docker])
    func multiArchIndexSelectsThePlatform(family: MediaTypeFamily) throws {
        let registry = try TestRegistry(.plain)
        let platforms: [(String, String?)] = [("amd64", nil), ("arm64", "v8"), ("arm", "v7"), ("arm", "v6")]
        let images = platforms.map { architecture, variant in
            ImageSpec(architecture: architecture, variant: variant,
                      config: ImageConfigSpec(env: ["ARCH=\(architecture)\(variant ?? "")"]),
                      layers: [LayerSpec([.file("arch", "\(architecture)/\(variant ?? "-")")])])
        }
        let pushed = try push(IndexSpec(tag: "multi", mediaTypes: family, images: images), to: registry,
                                   repository: "e2e/multi")
        #expect(pushed.manifestDigest == pushed.image.manifestDigest)

        func fetch(source extra: [String: Any] = [:], params: [String: Any]? = nil) throws -> (CommandResult, String?) {
            let dest = try TemporaryDirectory(prefix: "in-dest")
            let result = try FetchRequests.runIn(
                dest.url, source: FetchRequests.source(registry, "e2e/multi", extra: extra),
                version: ["tag": "multi", "digest": pushed.manifestDigest], params: params)
            let digestFile = try? String(contentsOf: dest.appending("digest"), encoding: .utf8)
            #expect(result.status != 0 || digestFile == pushed.manifestDigest, "digest file is the index's digest")
            return (result, FileTree(dest.appending("rootfs")).contents("arch"))
        }

        #if arch(x86_64)
        #expect(try fetch().1 == "amd64/-")
        #endif
        #expect(try fetch(source: ["platform": ["architecture": "arm64"]]).1 == "arm64/v8")
        #expect(try fetch(params: ["platform": ["architecture": "arm64/v8"]]).1 == "arm64/v8")
        #expect(try fetch(params: ["platform": ["os": "linux", "architecture": "arm/v7"]]).1 == "arm/v7")
        #expect(try fetch(params: ["platform": ["architecture": "arm/v6"]]).1 == "arm/v6")
        #expect(try fetch(source: ["platform": ["architecture": "arm64"]],
                          params: ["platform": ["architecture": "amd64"]]).1 == "amd64/-")
        let (missing, rootfs) = try fetch(params: ["platform": ["architecture": "s390x"]])
        FetchRequests.expectCleanFailure(missing, mentioning: "s390x")
        #expect(rootfs == nil)
    }

    @Test func skipDownloadWritesOnlyTheVersionFilesAndAcceptsLooseVersions() throws {
        let registry = try TestRegistry(.plain)
        // The image is never fetched: a digest that does not exist proves it.
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try FetchRequests.runIn(
            dest.url, source: FetchRequests.source(registry, "e2e/none", extra: ["tag": 42]),
            version: ["digest": digest], params: ["skip_download": true])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(FetchRequests.names(dest.url) == ["digest", "repository", "tag"])
        #expect(try String(contentsOf: dest.appending("digest"), encoding: .utf8) == digest)
        let response = try #require(try ResourceRunner.json(result) as? [String: Any])
        #expect(response["version"] as? [String: String] == ["digest": digest])
    }

    @Test func imageWithoutConfigSettingsWritesNullsAndEmptyLabels() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(ImageSpec(tag: "bare", layers: [LayerSpec([.file("f", "f")])]), to: registry,
                              repository: "e2e/bare")
        let dest = try TemporaryDirectory(prefix: "in-dest")
        let result = try FetchRequests.runIn(
            dest.url, source: FetchRequests.source(registry, "e2e/bare"), version: ["tag": "bare", "digest": pushed.manifestDigest])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: dest.appending("metadata.json"))) as? NSDictionary
        #expect(metadata == ["cmd": NSNull(), "entrypoint": NSNull(), "env": NSNull(), "user": ""] as NSDictionary)
        let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: dest.appending("labels.json"))) as? NSDictionary
        #expect(labels == [:] as NSDictionary)
    }
}
