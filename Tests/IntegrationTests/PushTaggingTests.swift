import Foundation
import TestSupport
import Testing

/// Tagging rules of `out` against a real registry: which tags exist after a
/// put, given the tags that existed before (upstream's bump_aliases rules).
@Suite("out tagging against docker-registry", .serialized)
struct PushTaggingTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        var existing: [String] = []
        var version: String?
        var variant: String?
        var sourceTag: String?
        var bump = true
        var additional: String?
        var prefix: String?
        let pushed: [String]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "first version bumps every alias", version: "1.0.0", pushed: ["1.0.0", "latest", "1", "1.0"]),
        Case(name: "newest patch bumps every alias", existing: ["1.0.0", "1.1.0", "1.1.1"], version: "1.1.2",
             pushed: ["1.1.2", "latest", "1", "1.1"]),
        Case(name: "older minor bumps only its minor line", existing: ["1.2.0", "2.0.0"], version: "1.1.5",
             pushed: ["1.1.5", "1.1"]),
        Case(name: "older major bumps major and minor", existing: ["2.0.0", "1.1.0"], version: "1.2.0",
             pushed: ["1.2.0", "1", "1.2"]),
        Case(name: "older patch bumps nothing", existing: ["1.0.1"], version: "1.0.0", pushed: ["1.0.0"]),
        Case(name: "pre-releases and other tags are ignored", existing: ["2.0.0-rc.1", "latest", "foo"], version: "1.0.0",
             pushed: ["1.0.0", "latest", "1", "1.0"]),
        Case(name: "pre-release version bumps nothing", version: "1.0.0-rc.1", pushed: ["1.0.0-rc.1"]),
        Case(name: "variant compares only its own variant", existing: ["2.0.0", "1.0.0-slim"], version: "1.1.0", variant: "slim",
             pushed: ["1.1.0-slim", "slim", "1-slim", "1.1-slim"]),
        Case(name: "variant newer elsewhere in its line", existing: ["1.2.0-slim"], version: "1.1.0", variant: "slim",
             pushed: ["1.1.0-slim", "1.1-slim"]),
        Case(name: "version normalised without bump", version: "v1.2", sourceTag: "edge", bump: false,
             pushed: ["edge", "1.2.0"]),
        Case(name: "additional tags with prefix", sourceTag: "main", bump: false, additional: "a b\nc\n", prefix: "x-",
             pushed: ["main", "x-a", "x-b", "x-c"]),
        Case(name: "additional tags alone", bump: false, additional: "only", pushed: ["only"]),
    ]

    @Test(arguments: cases)
    func tagsPushed(_ testCase: Case) throws {
        let registry = try TestRegistry(.plain)
        let repository = "tags/app"
        let work = try TemporaryDirectory()
        let layout = try buildFixture(PushHarness.image)
        try FileManager.default.copyItem(at: layout.url, to: work.appending("image"))
        // The layout names its one image, as `in` leaves it (else index.json itself is pushed, as upstream does).
        try Data(layout.image.manifestDigest.utf8).write(to: work.appending("image/single-image-digest"))
        if let first = testCase.existing.first {
            let pushed = try pushLayout(layout.url, layoutTag: "v1", to: registry, repository: repository, tag: first, method: .raw)
            let manifest = try skopeoInspect(registry, repository: repository, reference: pushed, raw: true)
            for tag in testCase.existing.dropFirst() {
                try ExternalCommand.check("curl", ["-sS", "--fail", "-X", "PUT", "-H",
                    "Content-Type: application/vnd.oci.image.manifest.v1+json", "--data-binary", "@-",
                    "\(registry.baseURL.absoluteString)/v2/\(repository)/manifests/\(tag)"], stdin: manifest)
            }
        }
        var source: [String: Any] = [:]
        if let variant = testCase.variant { source["variant"] = variant }
        if let tag = testCase.sourceTag { source["tag"] = tag }
        var params: [String: Any] = ["image": "image", "bump_aliases": testCase.bump]
        if let version = testCase.version { params["version"] = version }
        if let additional = testCase.additional {
            try Data(additional.utf8).write(to: work.appending("tags.txt"))
            params["additional_tags"] = "tags.txt"
        }
        if let prefix = testCase.prefix { params["tag_prefix"] = prefix }

        let response = try PushHarness.out(source: PushHarness.source(registry, repository, extra: source),
                                           params: params, directory: work.url)
        #expect(response.value("tags") == testCase.pushed.joined(separator: " "))
        #expect(response.version.tag == testCase.pushed.first)
        #expect(response.version.digest == layout.image.manifestDigest)
        #expect(try PushHarness.tags(registry, repository) == Set(testCase.existing + testCase.pushed))
        for tag in testCase.pushed {
            #expect(try PushHarness.servedDigest(registry, repository, tag) == layout.image.manifestDigest)
        }
    }
}
