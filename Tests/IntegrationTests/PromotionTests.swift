import Foundation
import Testing
import TestSupport

/// What promotion tests share: one registry behind a request-counting proxy
/// (the target, and the source of a same-registry promotion), and one Basic
/// auth registry (a cross-registry source).
final class PromotionRegistries: Sendable {
    let target: TestRegistry
    let proxy: FaultProxy
    let other: TestRegistry

    private init() throws {
        target = try TestRegistry(.plain)
        proxy = try FaultProxy(upstream: target)
        other = try TestRegistry(TestRegistryOptions(auth: .basic))
    }

    private static let shared = Result { try PromotionRegistries() }
    static func get() throws -> PromotionRegistries { try shared.get() }
}

enum PromotionSupport {
    /// A get directory as `get` (also with `skip_download`) leaves it.
    static func getDirectory(in work: TemporaryDirectory, repository: String, digest: String) throws {
        let get = work.appending("get")
        try FileManager.default.createDirectory(at: get, withIntermediateDirectories: true)
        try Data(repository.utf8).write(to: get.appendingPathComponent("repository"))
        try Data(digest.utf8).write(to: get.appendingPathComponent("digest"))
        try Data("v1".utf8).write(to: get.appendingPathComponent("tag"))
    }

    static func put(_ work: TemporaryDirectory, source: [String: Any], params: [String: Any],
                    environment: [String: String] = [:], wrapper: [String] = []) throws -> CommandResult {
        let body = try JSONSerialization.data(withJSONObject: ["source": source, "params": params], options: [.sortedKeys])
        return try ResourceRunner.run(["out", work.path], stdin: body, environment: environment, wrapper: wrapper)
    }

    static func responseDigest(_ result: CommandResult) throws -> String? {
        (try ResourceRunner.response(result)["version"] as? [String: Any])?["digest"] as? String
    }

    /// The digest of the manifest skopeo reads at `reference` (docker://…).
    static func digest(_ reference: String) throws -> String {
        try ExternalDigest.sha256(try ExternalCommand.check("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(reference)"]))
    }

    static func raw(_ reference: String) throws -> [String: Any] {
        let data = try ExternalCommand.check("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(reference)"])
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func exists(_ reference: String) -> Bool {
        (try? ExternalCommand.check("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(reference)"])) != nil
    }

    /// A cosign signature (tag `sha256-<hex>.sig`) and an SBOM referrer
    /// (recorded in the fallback tag `sha256-<hex>`) attached to `digest`,
    /// written by `attached_artifacts.py` and pushed byte for byte.
    static func attach(to digest: String, mediaType: String, size: Int, in registry: TestRegistry, repository: String)
        throws -> (signature: String, referrer: String)
    {
        let layout = try TemporaryDirectory(prefix: "attached")
        struct Out: Decodable { let signature: String; let referrer: String; let fallback: String }
        let out = try JSONDecoder().decode(Out.self, from: try ExternalCommand.python("fixtures/attached_artifacts.py", [
            layout.path, digest, mediaType, String(size), "\(registry.url)/\(repository)"]))
        let hex = digest.replacingOccurrences(of: "sha256:", with: "")
        try pushLayout(layout.url, layoutTag: "sig", to: registry, repository: repository, tag: "sha256-\(hex).sig", method: .raw)
        try pushLayout(layout.url, layoutTag: "fallback", to: registry, repository: repository, tag: "sha256-\(hex)", method: .raw)
        return (out.signature, out.referrer)
    }
}

/// `put` with `params.image` naming a get directory: the digest goes
/// registry to registry, and what each registry saw is counted by the proxy.
@Suite("promotion: put of a get directory", .serialized)
struct PromotionTests {
    @Test func sameRegistryMountsEveryBlobAndReadsNone() throws {
        let shared = try PromotionRegistries.get()
        let pushed = try push(PushHarness.image, to: shared.target, repository: "promote/same-src")
        let work = try TemporaryDirectory(prefix: "promote")
        try PromotionSupport.getDirectory(in: work, repository: "\(shared.proxy.url)/promote/same-src", digest: pushed.manifestDigest)
        try shared.proxy.resetStats()
        let result = try PromotionSupport.put(work, source: ["repository": "\(shared.proxy.url)/promote/same-dst", "tag": "prod"],
                                              params: ["image": "get", "additional_tags": "get/tag", "tag_prefix": "release-"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try PromotionSupport.responseDigest(result) == pushed.manifestDigest)
        let stats = try shared.proxy.stats()
        #expect(stats.count("GET", pathContaining: "/blobs/") == 0, "blobs were read: \(stats.requests)")
        #expect(stats.count("PUT", pathContaining: "/blobs/uploads/") == 0, "blobs were uploaded: \(stats.requests)")
        #expect(stats.mountRequests == 3, "config and two layers mounted: \(stats.requests)")
        for tag in ["prod", "release-v1"] {
            #expect(try PromotionSupport.digest("\(shared.target.url)/promote/same-dst:\(tag)") == pushed.manifestDigest)
        }
    }

    /// Across registries, with Basic-auth credentials for the source from
    /// `image_source`: every blob streams (strace sees no file written), an
    /// index arrives whole, and its signatures and referrers come along.
    @Test func crossRegistryStreamsAnIndexWithItsSignatures() throws {
        let shared = try PromotionRegistries.get()
        let source = shared.other
        let pushed = try TestSupport.push(PushHarness.index, to: source, repository: "promote/multi")
        let index = pushed.manifestDigest
        let indexSize = try ExternalCommand.check("skopeo", ["inspect", "--raw"] + source.skopeoInspectFlags()
            + ["docker://\(source.url)/promote/multi@\(index)"]).count
        let onIndex = try PromotionSupport.attach(
            to: index, mediaType: "application/vnd.oci.image.index.v1+json", size: indexSize, in: source, repository: "promote/multi")
        let child = try #require(pushed.image.manifests?.first)
        let onChild = try PromotionSupport.attach(
            to: child.digest, mediaType: child.mediaType, size: child.size, in: source, repository: "promote/multi")

        let work = try TemporaryDirectory(prefix: "promote")
        try PromotionSupport.getDirectory(in: work, repository: "\(source.url)/promote/multi", digest: index)
        let temporary = try TemporaryDirectory(prefix: "promote-tmp")
        let trace = work.appending("trace.log").path
        try shared.proxy.resetStats()
        let result = try PromotionSupport.put(
            work, source: ["repository": "\(shared.proxy.url)/promote/multi", "tag": "1.0"],
            params: ["image": "get", "image_source": ["username": source.username ?? "", "password": source.password ?? ""]],
            environment: ["TMPDIR": temporary.path],
            wrapper: ["strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2",
                      "-o", trace])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains(source.password ?? "-"), "the password was printed")
        #expect(try PromotionSupport.responseDigest(result) == index)
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(calls.contains { $0.contains("openat(") }, "strace saw no opens at all")
        let writes = calls.filter { line in
            ["O_WRONLY", "O_RDWR", "O_CREAT", "mkdir", "rename", "creat("].contains { line.contains($0) }
        }
        #expect(writes.isEmpty, "files written during a promotion:\n\(writes.prefix(10).joined(separator: "\n"))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
        #expect(try shared.proxy.stats().count("PUT", pathContaining: "/blobs/uploads/") > 0, "nothing was streamed")

        let target = "\(shared.target.url)/promote/multi"
        #expect(try PromotionSupport.digest("\(target):1.0") == index)
        for manifest in pushed.image.manifests ?? [] {
            #expect(try PromotionSupport.digest("\(target)@\(manifest.digest)") == manifest.digest)
        }
        for (subject, attached) in [(index, onIndex), (child.digest, onChild)] {
            let hex = subject.replacingOccurrences(of: "sha256:", with: "")
            #expect(try PromotionSupport.digest("\(target):sha256-\(hex).sig") == attached.signature)
            #expect(try PromotionSupport.digest("\(target)@\(attached.referrer)") == attached.referrer)
            let fallback = try PromotionSupport.raw("\(target):sha256-\(hex)")
            let listed = (fallback["manifests"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String }
            #expect(listed == [attached.referrer], "the referrers fallback tag lists the referrer")
        }
    }

    @Test func aMissingSourceDigestFailsAndLeavesTheTag() throws {
        let shared = try PromotionRegistries.get()
        let pushed = try push(PushHarness.image, to: shared.target, repository: "promote/keep")
        let work = try TemporaryDirectory(prefix: "promote")
        let absent = "sha256:" + String(repeating: "ab", count: 32)
        try PromotionSupport.getDirectory(in: work, repository: "\(shared.target.url)/promote/gone", digest: absent)
        let result = try PromotionSupport.put(work, source: ["repository": "\(shared.target.url)/promote/keep", "tag": "v1"],
                                              params: ["image": "get"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines.count == 1 && lines[0].contains(absent), "\(result.stderr)")
        #expect(try PromotionSupport.digest("\(shared.target.url)/promote/keep:v1") == pushed.manifestDigest)
    }

    /// A promoted single-platform image merges like a pushed one.
    @Test func promotionWithPlatformMergeJoinsTheTagsIndex() throws {
        let registry = try PromotionRegistries.get().target
        let arm = try push(PlatformMergeTests.image("arm64", build: "promoted"), to: registry, repository: "promote/merged", tag: "v1")
        let amd = try push(PlatformMergeTests.image("amd64", build: "promoted"), to: registry, repository: "promote/merge-src", tag: "rc")
        let work = try TemporaryDirectory(prefix: "promote")
        try PromotionSupport.getDirectory(in: work, repository: "\(registry.url)/promote/merge-src", digest: amd.manifestDigest)
        let result = try PromotionSupport.put(work, source: ["repository": "\(registry.url)/promote/merged", "tag": "v1"],
                                              params: ["image": "get", "platform_merge": true])
        #expect(result.status == 0, "\(result.stderr)")
        let reference = "\(registry.url)/promote/merged:v1"
        #expect(try PromotionSupport.responseDigest(result) == (try PromotionSupport.digest(reference)))
        #expect(try PlatformMergeTests.entries(reference) == ["linux/arm64": arm.manifestDigest, "linux/amd64": amd.manifestDigest])
    }

    @Test func imageSourceWithAnImageOnDiskIsRefused() throws {
        let registry = try PromotionRegistries.get().target
        let work = try PushHarness.workDirectory(holding: try buildFixture(PushHarness.image))
        let result = try PromotionSupport.put(work, source: ["repository": "\(registry.url)/promote/disk", "tag": "v1"],
                                              params: ["image": "layout", "image_source": ["username": "u", "password": "p"]])
        #expect(result.status != 0)
        #expect(result.stderr.contains("error: ") && result.stderr.contains("params.image_source"), "\(result.stderr)")
        #expect(!PromotionSupport.exists("\(registry.url)/promote/disk:v1"))
    }

    /// `copy` uses the same mechanism; `--no-signatures` leaves the artifacts.
    @Test func cliCopyBringsSignaturesUnlessTold() throws {
        let shared = try PromotionRegistries.get()
        let registry = shared.target
        let pushed = try push(PushHarness.image, to: registry, repository: "promote/cli-src")
        let size = try ExternalCommand.check("skopeo", ["inspect", "--raw", "--tls-verify=false",
                                                        "docker://\(registry.url)/promote/cli-src@\(pushed.manifestDigest)"]).count
        let attached = try PromotionSupport.attach(
            to: pushed.manifestDigest, mediaType: "application/vnd.oci.image.manifest.v1+json", size: size, in: registry,
            repository: "promote/cli-src")
        let hex = pushed.manifestDigest.replacingOccurrences(of: "sha256:", with: "")
        let with = try ResourceRunner.run(["copy", "docker://\(registry.url)/promote/cli-src:v1", "docker://\(registry.url)/promote/cli-with:v1"])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(try PromotionSupport.digest("\(registry.url)/promote/cli-with:sha256-\(hex).sig") == attached.signature)
        #expect(PromotionSupport.exists("\(registry.url)/promote/cli-with@\(attached.referrer)"))
        let without = try ResourceRunner.run(["copy", "--no-signatures", "docker://\(registry.url)/promote/cli-src:v1",
                                              "docker://\(registry.url)/promote/cli-without:v1"])
        #expect(without.status == 0, "\(without.stderr)")
        // The copy itself is there: the absences below are --no-signatures, not a copy that did nothing.
        #expect(try PromotionSupport.digest("\(registry.url)/promote/cli-without:v1") == pushed.manifestDigest)
        #expect(!PromotionSupport.exists("\(registry.url)/promote/cli-without:sha256-\(hex).sig"))
        #expect(!PromotionSupport.exists("\(registry.url)/promote/cli-without:sha256-\(hex)"))
    }
}
