import Concourse
import Foundation
import OCIModel
import TestSupport
import Testing

/// `in` with `format: oci` and `format: oci-layout`, checked with skopeo and
/// against the digests the fixture builder reported.
@Suite("in formats against docker-registry")
struct FetchFormatsTests {
    @Test func ociTarballIsADockerArchiveNamedAfterTheOrigin() throws {
        let registry = try TestRegistry(.tls)
        let pushed = try push(PushHarness.image, to: registry, repository: "formats/app")
        let fetched = try PushHarness.fetchIntoWork(
            registry, "formats/app", digest: pushed.manifestDigest, tag: "v1", extra: ["label_regex": "^org\\."],
            params: ["format": "oci"])
        let response = fetched.response, destination = fetched.destination
        #expect(response.value("org.example.team") == "push")
        #expect(response.value("other") == nil)

        let archive = destination.appendingPathComponent("image.tar").path
        struct Inspect: Decodable { let Labels: [String: String]?; let Layers: [String] }
        let inspect = try JSONDecoder().decode(
            Inspect.self, from: try ExternalCommand.check("skopeo", ["inspect", "docker-archive:\(archive)"]))
        // docker load tags the image from manifest.json's RepoTags: the origin's name, not a mirror's.
        struct Entry: Decodable { let RepoTags: [String]? }
        let entries = try JSONDecoder().decode(
            [Entry].self, from: try ExternalCommand.check("tar", ["-xOf", archive, "manifest.json"]))
        #expect(entries.count == 1)
        #expect(entries.first?.RepoTags == ["\(registry.url)/formats/app:v1"])
        #expect(inspect.Labels?["org.example.team"] == "push")
        #expect(inspect.Layers.count == 2)
        struct Config: Decodable { struct Inner: Decodable { let Env: [String]? }; let config: Inner }
        let config = try JSONDecoder().decode(
            Config.self, from: try ExternalCommand.check("skopeo", ["inspect", "--config", "docker-archive:\(archive)"]))
        #expect(config.config.Env?.contains("A=1") == true)
        let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: destination.appendingPathComponent("labels.json")))
        #expect((labels as? [String: String])?["other"] == "x")
        #expect(try String(contentsOf: destination.appendingPathComponent("digest"), encoding: .utf8) == pushed.manifestDigest)
    }

    /// `spec` pushed to a fresh registry and fetched back with `format: oci-layout`.
    static func fetchedLayout<Spec: FixtureSpec>(of spec: Spec, repository: String) throws
        -> (pushed: PushedImage, fetched: PushHarness.Fetched, layout: URL) {
        let registry = try TestRegistry(.plain)
        let pushed = try push(spec, to: registry, repository: repository)
        let fetched = try PushHarness.fetchIntoWork(
            registry, repository, digest: pushed.manifestDigest, params: ["format": "oci-layout"])
        return (pushed, fetched, fetched.destination.appendingPathComponent("oci"))
    }

    @Test func ociLayoutOfAnIndexHoldsEveryPlatform() throws {
        let (pushed, fetched, layout) = try Self.fetchedLayout(of: PushHarness.index, repository: "formats/multi")
        defer { withExtendedLifetime(fetched) {} }  // it owns the work directory holding the layout
        #expect(FileManager.default.fileExists(atPath: layout.appendingPathComponent("oci-layout").path))
        #expect(!FileManager.default.fileExists(atPath: layout.appendingPathComponent("single-image-digest").path))
        // index.json *is* the version's index, as go-containerregistry's layout.Write leaves it.
        let indexData = try Data(contentsOf: layout.appendingPathComponent("index.json"))
        #expect(try ExternalDigest.sha256(indexData) == pushed.manifestDigest)
        let index = try JSONDecoder().decode(ImageIndex.self, from: indexData)
        let children = try #require(pushed.image.manifests)
        #expect(index.manifests.map(\.digest.description) == children.map(\.digest))
        var expected: [String] = []
        for child in children {
            expected += [child.digest, child.config] + child.layers.map(\.digest)
        }
        for digest in expected {
            let blob = layout.appendingPathComponent("blobs/sha256/\(digest.dropFirst("sha256:".count))")
            #expect(try ExternalDigest.sha256(try Data(contentsOf: blob)) == digest)
        }
    }

    @Test func ociLayoutOfASingleImageNamesItsDigest() throws {
        let (pushed, fetched, layout) = try Self.fetchedLayout(of: PushHarness.image, repository: "formats/single")
        #expect(try String(contentsOf: layout.appendingPathComponent("single-image-digest"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines) == pushed.manifestDigest)
        // skopeo reads the layout's only image and verifies its blobs while copying it.
        let raw = try ExternalCommand.check("skopeo", ["inspect", "--raw", "oci:\(layout.path)"])
        #expect(try ExternalDigest.sha256(raw) == pushed.manifestDigest)
        let copy = fetched.work.appending("copy")
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(layout.path)", "oci:\(copy.path):x"])
    }

    @Test func unknownFormatAndBadPatternsAreClearErrors() throws {
        let unknown = #"{"source": {"repository": "r"}, "version": {"digest": "sha256:\#(String(repeating: "a", count: 64))"}, "params": {"format": "tarball"}}"#
        do {
            _ = try InRequest(json: [UInt8](unknown.utf8))
            Issue.record("unknown format accepted")
        } catch {
            #expect(error.description.contains("rootfs, oci, oci-layout"))
        }
        let registry = try TestRegistry(.plain)
        let pushed = try push(PushHarness.image, to: registry, repository: "formats/bad")
        let work = try TemporaryDirectory()
        #expect(throws: (any Error).self) {
            _ = try PushHarness.fetch(source: PushHarness.source(registry, "formats/bad", extra: ["annotation_regex": "(["]),
                                      digest: pushed.manifestDigest, params: ["skip_download": false], destination: work.url)
        }
    }
}
