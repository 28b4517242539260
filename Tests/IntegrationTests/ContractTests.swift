import Foundation
import Testing
import TestSupport

/// Where upstream's contract is exact and users rely on it, through the
/// executable: metadata order (also with `skip_download`), `oci-layout` of an
/// index, what `out` pushes from an OCI layout, and upstream's error texts.
@Suite("Upstream contract details")
struct ContractTests {
    static let labelled = ImageSpec(
        tag: "v1", config: ImageConfigSpec(labels: ["org.b": "label-b", "org.a": "label-a", "skip": "no"]),
        annotations: ["org.d": "annotation-d", "org.c": "annotation-c", "skip": "no"],
        layers: [LayerSpec([.file("f", "content\n")])])

    @Test(arguments: [false, true])
    func metadataIsLabelsThenAnnotationsEachSortedAlsoWithSkipDownload(_ skipDownload: Bool) throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let pushed = try push(Self.labelled, to: registry, repository: "contract/meta")
        let destination = try TemporaryDirectory(prefix: "meta")
        let request = ResourceRunner.inRequest(
            repository: "\(proxy.url)/contract/meta", digest: pushed.manifestDigest,
            source: ["label_regex": "^org\\.", "annotation_regex": "^org\\."], params: ["skip_download": skipDownload])
        let result = try ResourceRunner.run(["in", destination.path], request: request)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let metadata = try ResourceRunner.response(result)["metadata"] as? [[String: String]] ?? []
        #expect(metadata.map { $0["name"] ?? "" } == ["repository", "tag", "org.a", "org.b", "org.c", "org.d"])
        #expect(metadata.dropFirst(2).map { $0["value"] ?? "" } == ["label-a", "label-b", "annotation-c", "annotation-d"])
        let blobGets = try proxy.stats().count("GET", pathContaining: "/blobs/")
        if skipDownload {
            // The manifest and the config only: no layer, no rootfs.
            #expect(blobGets == 1)
            #expect(!FileManager.default.fileExists(atPath: destination.appending("rootfs").path))
        } else {
            #expect(blobGets == 2)
        }
    }

    @Test func skipDownloadWithoutPatternsAsksTheRegistryNothing() throws {
        let registry = try TestRegistry(.plain)
        let proxy = try FaultProxy(upstream: registry)
        defer { proxy.stop() }
        let pushed = try push(Self.labelled, to: registry, repository: "contract/skip")
        let destination = try TemporaryDirectory(prefix: "skip")
        let request = ResourceRunner.inRequest(repository: "\(proxy.url)/contract/skip", digest: pushed.manifestDigest,
                                             params: ["skip_download": true])
        let result = try ResourceRunner.run(["in", destination.path], request: request)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try proxy.stats().total == 0)
        #expect(try String(contentsOf: destination.appending("digest"), encoding: .utf8) == pushed.manifestDigest)
    }

    @Test func ociLayoutOfAnIndexIsThatIndexAndOutPushesItBack() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(PushHarness.index, to: registry, repository: "contract/multi")
        let work = try TemporaryDirectory(prefix: "layout-index")
        let get = work.appending("get")
        let request = ResourceRunner.inRequest(repository: "\(registry.url)/contract/multi", digest: pushed.manifestDigest,
                                             tag: "multi", params: ["format": "oci-layout"])
        let fetched = try ResourceRunner.run(["in", get.path], request: request)
        #expect(fetched.status == 0, "stderr: \(fetched.stderr)")
        #expect(try ExternalDigest.sha256(ofFile: get.appendingPathComponent("oci/index.json").path) == pushed.manifestDigest)
        #expect(!FileManager.default.fileExists(atPath: get.appendingPathComponent("oci/single-image-digest").path))

        // out of that layout (no marker) pushes index.json itself: the same digest.
        let put = try ResourceRunner.run(["out", get.path], request: [
            "source": ["repository": "\(registry.url)/contract/again", "tag": "copy"], "params": ["image": "oci"],
        ])
        #expect(put.status == 0, "stderr: \(put.stderr)")
        #expect((try ResourceRunner.response(put)["version"] as? [String: String])?["digest"] == pushed.manifestDigest)
        let raw = try skopeoInspect(registry, repository: "contract/again", reference: "copy", raw: true)
        #expect(try ExternalDigest.sha256(raw) == pushed.manifestDigest)
    }

    @Test func outOfALayoutWithoutMarkerPushesIndexJSONAsAnIndex() throws {
        let registry = try TestRegistry(.plain)
        let layout = try buildFixture(Self.labelled)
        let work = try TemporaryDirectory(prefix: "layout-out")
        try FileManager.default.copyItem(at: layout.url, to: work.appending("plain"))
        try FileManager.default.copyItem(at: layout.url, to: work.appending("marked"))
        try Data(layout.image.manifestDigest.utf8).write(to: work.appending("marked/single-image-digest"))

        func out(_ image: String, tag: String) throws -> String? {
            let result = try ResourceRunner.run(["out", work.path], request: [
                "source": ["repository": "\(registry.url)/contract/layout", "tag": tag], "params": ["image": image],
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            return (try ResourceRunner.response(result)["version"] as? [String: String])?["digest"]
        }
        // Without the marker: index.json, as an image index wrapping the one image.
        let indexDigest = try ExternalDigest.sha256(ofFile: work.appending("plain/index.json").path)
        #expect(try out("plain", tag: "plain") == indexDigest)
        struct Index: Decodable { let mediaType: String?; let manifests: [Entry]; struct Entry: Decodable { let digest: String } }
        let served = try JSONDecoder().decode(
            Index.self, from: try skopeoInspect(registry, repository: "contract/layout", reference: "plain", raw: true))
        #expect(served.manifests.map(\.digest) == [layout.image.manifestDigest])
        // With it: the named image.
        #expect(try out("marked", tag: "marked") == layout.image.manifestDigest)
    }

    @Test func outUnwrapsAOneEntryIndexPointingAtAnIndex() throws {
        let registry = try TestRegistry(.plain)
        let layout = try buildFixture(PushHarness.index)
        let work = try TemporaryDirectory(prefix: "layout-nested")
        try FileManager.default.copyItem(at: layout.url, to: work.appending("nested"))
        let result = try ResourceRunner.run(["out", work.path], request: [
            "source": ["repository": "\(registry.url)/contract/nested", "tag": "n"], "params": ["image": "nested"],
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // build_image.py's index.json lists the one index: that inner index is what is pushed.
        #expect((try ResourceRunner.response(result)["version"] as? [String: String])?["digest"] == layout.image.manifestDigest)
    }

    @Test(arguments: [
        (["image": "*.oci"], "error: no files match glob '*.oci'"),
        (["image": "*.tar"], "error: too many files/directories match glob '*.tar': ["),
        (["image": "one.tar", "tag_prefix": "v"], "error: tag_prefix can only be used when additional_tags are specified"),
    ])
    func errorTextsAreUpstreams(_ params: [String: String], _ expectedStart: String) throws {
        let work = try TemporaryDirectory(prefix: "texts")
        try Data("a".utf8).write(to: work.appending("one.tar"))
        try Data("b".utf8).write(to: work.appending("two.tar"))
        let result = try ResourceRunner.run(["out", work.path], request: [
            "source": ["repository": "127.0.0.1:9/never", "tag": "t"], "params": params,
        ])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix(expectedStart) == true, "stderr: \(result.stderr)")
    }
}
