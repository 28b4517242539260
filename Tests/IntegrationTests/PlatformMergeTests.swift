import Foundation
import Testing
import TestSupport

/// `platform_merge` (put) and `copy --merge-platform`: per-platform builds
/// merged into the index a tag names, each result read back by skopeo.
@Suite("platform merge, immutable and eventually consistent tags", .serialized)
struct PlatformMergeTests {
    static func image(_ architecture: String, variant: String? = nil, build: String) -> ImageSpec {
        ImageSpec(tag: "img", architecture: architecture, variant: variant,
                  config: ImageConfigSpec(env: ["BUILD=\(build)"]),
                  layers: [LayerSpec([.file("build", "\(architecture)\(variant ?? "") \(build)\n")])])
    }

    /// A put of `spec`'s layout (as `layout/`) with `params`; `additionalTags`, when
    /// given, is written as the `tags` file that `params.additional_tags` names.
    static func put(_ spec: ImageSpec, source: [String: Any], params: [String: Any] = [:],
                    additionalTags: String? = nil,
                    environment: [String: String] = [:]) throws -> (result: CommandResult, manifest: String) {
        let layout = try buildFixture(spec)
        let work = try PushHarness.workDirectory(holding: layout)
        var all: [String: Any] = ["image": "layout"]
        if let additionalTags {
            try Data(additionalTags.utf8).write(to: work.appending("tags"))
            all["additional_tags"] = "tags"
        }
        all.merge(params) { $1 }
        let result = try PromotionSupport.put(work, source: source, params: all, environment: environment)
        return (result, layout.image.manifestDigest)
    }

    /// "os/arch[/variant]" → manifest digest, of the index at `reference`.
    static func entries(_ reference: String) throws -> [String: String] {
        let index = try PromotionSupport.raw(reference)
        var entries: [String: String] = [:]
        for entry in index["manifests"] as? [[String: Any]] ?? [] {
            let platform = entry["platform"] as? [String: Any] ?? [:]
            let key = [platform["os"], platform["architecture"], platform["variant"]].compactMap { $0 as? String }.joined(separator: "/")
            entries[key] = entry["digest"] as? String
        }
        return entries
    }

    @Test func mergeSequenceKeepsOnePlatformEach() throws {
        let registry = try PromotionRegistries.get().target
        let repository = "\(registry.url)/merge/app"
        // `edge` starts as a single arm64 image: it becomes an index of both.
        let first = try push(Self.image("arm64", build: "0"), to: registry, repository: "merge/app", tag: "edge")
        let source: [String: Any] = ["repository": repository, "tag": "v1"]
        let params: [String: Any] = ["platform_merge": true]

        func mergePut(_ spec: ImageSpec) throws -> String {
            let (result, manifest) = try Self.put(spec, source: source, params: params, additionalTags: "edge")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try PromotionSupport.responseDigest(result) == (try PromotionSupport.digest("\(repository):v1")),
                    "the response names the first tag's index")
            return manifest
        }

        let amd1 = try mergePut(Self.image("amd64", build: "1"))
        #expect(try Self.entries("\(repository):v1") == ["linux/amd64": amd1], "a missing tag becomes an index of one")
        #expect(try Self.entries("\(repository):edge") == ["linux/arm64": first.manifestDigest, "linux/amd64": amd1])

        let arm = try mergePut(Self.image("arm64", build: "2"))
        #expect(try Self.entries("\(repository):v1") == ["linux/amd64": amd1, "linux/arm64": arm])
        let amd2 = try mergePut(Self.image("amd64", build: "3"))
        #expect(try Self.entries("\(repository):v1") == ["linux/amd64": amd2, "linux/arm64": arm], "same platform replaced")
        let v7 = try mergePut(Self.image("arm", variant: "v7", build: "4"))
        let v6 = try mergePut(Self.image("arm", variant: "v6", build: "5"))
        let expected = ["linux/amd64": amd2, "linux/arm64": arm, "linux/arm/v7": v7, "linux/arm/v6": v6]
        #expect(try Self.entries("\(repository):v1") == expected, "arm/v7 and arm/v6 are different entries")
        #expect(try Self.entries("\(repository):edge") == expected)
        // Every entry's image is there, by its digest.
        for digest in expected.values {
            #expect(try PromotionSupport.digest("\(repository)@\(digest)") == digest)
        }
    }

    @Test func cliMergeKeepsTheIndexAnnotations() throws {
        let registry = try PromotionRegistries.get().target
        let index = IndexSpec(tag: "multi", annotations: ["org.example.keep": "yes"], images: [
            Self.image("amd64", build: "a"), Self.image("arm64", build: "b"),
        ])
        let pushed = try TestSupport.push(index, to: registry, repository: "merge/cli", tag: "v1")
        let arm = try #require(pushed.image.manifests?.first { $0.platform.architecture == "arm64" })
        let layout = try buildFixture(Self.image("amd64", build: "c"))
        let result = try ResourceRunner.run(["copy", "--merge-platform", "oci:\(layout.url.path):img",
                                             "docker://\(registry.url)/merge/cli:v1"])
        #expect(result.status == 0, "\(result.stderr)")
        let reference = "\(registry.url)/merge/cli:v1"
        #expect(result.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines) == (try PromotionSupport.digest(reference)))
        #expect(try Self.entries(reference) == ["linux/amd64": layout.image.manifestDigest, "linux/arm64": arm.digest])
        let annotations = try PromotionSupport.raw(reference)["annotations"] as? [String: String]
        #expect(annotations?["org.example.keep"] == "yes")
    }

    /// The tag moves between the merge's first read and its write (here:
    /// the first read finds no tag, the second an index): the merge reads
    /// again instead of writing an index that drops the other platform.
    @Test func aTagThatMovedIsReadAgain() throws {
        let registry = try PromotionRegistries.get().target
        let arm = try push(Self.image("arm64", build: "moved"), to: registry, repository: "merge/moved", tag: "v1")
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(
            hideManifest: .init(count: 1, method: "HEAD", pathPattern: "/merge/moved/manifests/v1$")))
        let put = try Self.put(Self.image("amd64", build: "moved"), source: ["repository": "\(proxy.url)/merge/moved", "tag": "v1"],
                               params: ["platform_merge": true])
        #expect(put.result.status == 0, "\(put.result.stderr)")
        #expect(try proxy.stats().hiddenManifests == 1)
        #expect(put.result.stderr.contains("moved while merging"), "\(put.result.stderr)")
        #expect(try Self.entries("\(registry.url)/merge/moved:v1") == ["linux/arm64": arm.manifestDigest, "linux/amd64": put.manifest])
    }

    @Test func anAlreadyCurrentTagGetsNoManifestPut() throws {
        let shared = try PromotionRegistries.get()
        let source: [String: Any] = ["repository": "\(shared.proxy.url)/merge/current", "tag": "v1"]
        let spec = Self.image("amd64", build: "current")
        let first = try Self.put(spec, source: source)
        #expect(first.result.status == 0, "\(first.result.stderr)")
        try shared.proxy.resetStats()
        let again = try Self.put(spec, source: source)
        #expect(again.result.status == 0, "\(again.result.stderr)")
        #expect(try PromotionSupport.responseDigest(again.result) == first.manifest)
        #expect(try shared.proxy.stats().count("PUT", pathContaining: "/manifests/") == 0)
    }

    @Test func anImmutableTagRefusalIsOneLineNamingTheTag() throws {
        let registry = try PromotionRegistries.get().target
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(refuseManifestPut: .init(
            message: "The image tag 'v2' already exists in the 'merge/immutable' repository and cannot be overwritten because the repository is immutable. (ImageTagAlreadyExistsException)",
            pathPattern: "/manifests/v2$")))
        let put = try Self.put(Self.image("amd64", build: "immutable"),
                               source: ["repository": "\(proxy.url)/merge/immutable", "tag": "v2"])
        #expect(put.result.status != 0)
        let errors = put.result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(put.result.stderr)")
        #expect(errors.first?.contains("tag 'v2'") == true && errors.first?.contains("ImageTagAlreadyExistsException") == true,
                "\(put.result.stderr)")
        #expect(try proxy.stats().refusedPuts == 1, "a refusal is not retried")
    }

    /// A registry that keeps answering the old manifest for 3 s after the
    /// PUT: the put waits until the tag answers the new digest; with a
    /// shorter bound it fails naming the tag and the digest it still sees.
    @Test func putWaitsUntilTheTagAnswersThePushedDigest() throws {
        let registry = try PromotionRegistries.get().target
        let proxy = try FaultProxy(upstream: registry)
        let source: [String: Any] = ["repository": "\(proxy.url)/merge/eventual", "tag": "v1"]
        let old = try Self.put(Self.image("amd64", build: "old"), source: source)
        #expect(old.result.status == 0, "\(old.result.stderr)")
        try proxy.configure(FaultProxyConfig(staleManifestsMs: 3000))
        let new = try Self.put(Self.image("amd64", build: "new"), source: source)
        #expect(new.result.status == 0, "\(new.result.stderr)")
        #expect(try proxy.stats().staleAnswers > 0, "the proxy never served the old manifest")
        #expect(try PromotionSupport.digest("\(proxy.url)/merge/eventual:v1") == new.manifest)

        let bounded = try Self.put(Self.image("amd64", build: "newer"), source: source,
                                   environment: ["RI_VISIBLE_TIMEOUT_MS": "500"])
        #expect(bounded.result.status != 0)
        let errors = bounded.result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains(":v1 still answers \(new.manifest)"), "\(bounded.result.stderr)")
    }
}
