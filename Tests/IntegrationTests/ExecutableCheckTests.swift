import Foundation
import TestSupport
import Testing

/// `check` in tag mode through the executable, against a real registry.
@Suite("check: tag mode end to end", .serialized)
struct ExecutableCheckTests {
    static func image(_ content: String) -> ImageSpec {
        ImageSpec(tag: "t", layers: [LayerSpec([.file("version", content)])])
    }

    static func check(_ source: [String: Any], version: [String: Any]? = nil) throws -> CommandResult {
        var request: [String: Any] = ["source": source]
        if let version { request["version"] = version }
        return try ResourceRunner.run("check", request: request)
    }

    static func versions(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: String]] {
        #expect(result.status == 0, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return try #require(try ResourceRunner.json(result) as? [[String: String]], sourceLocation: sourceLocation)
    }

    @Test func tagModeReportsCurrentDigestCursorAndMissingTag() throws {
        let registry = try TestRegistry(.plain)
        let first = try push(Self.image("1"), to: registry, repository: "e2e/check", tag: "stable")
        let second = try push(Self.image("2"), to: registry, repository: "e2e/check", tag: "stable")
        #expect(first.manifestDigest != second.manifestDigest)
        let source = FetchRequests.source(registry, "e2e/check", extra: ["tag": "stable"])

        #expect(try Self.versions(Self.check(source)) == [["tag": "stable", "digest": second.manifestDigest]])
        // A cursor whose digest differs and still exists comes first.
        #expect(try Self.versions(Self.check(source, version: ["tag": "stable", "digest": first.manifestDigest]))
                == [["tag": "stable", "digest": first.manifestDigest], ["tag": "stable", "digest": second.manifestDigest]])
        // The current cursor is returned alone.
        #expect(try Self.versions(Self.check(source, version: ["tag": "stable", "digest": second.manifestDigest]))
                == [["tag": "stable", "digest": second.manifestDigest]])
        // A cursor that no longer exists is dropped.
        let gone = "sha256:" + String(repeating: "1", count: 64)
        #expect(try Self.versions(Self.check(source, version: ["tag": "stable", "digest": gone]))
                == [["tag": "stable", "digest": second.manifestDigest]])
        // A missing tag gives [].
        #expect(try Self.versions(Self.check(FetchRequests.source(registry, "e2e/check", extra: ["tag": "nope"]))) == [])
        // A numeric tag is a tag.
        let numeric = try push(Self.image("n"), to: registry, repository: "e2e/check", tag: "7")
        #expect(try Self.versions(Self.check(FetchRequests.source(registry, "e2e/check", extra: ["tag": 7])))
                == [["tag": "7", "digest": numeric.manifestDigest]])
    }

    /// HEAD refused or without `Docker-Content-Digest`: the digest comes from a GET.
    @Test(arguments: [FaultProxyConfig(headNotAllowed: true), FaultProxyConfig(stripDigestHeader: true)])
    func digestFallsBackToGet(faults: FaultProxyConfig) throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image("x"), to: registry, repository: "e2e/head", tag: "v1")
        let proxy = try FaultProxy(upstream: registry, faults: faults)
        let result = try Self.check(["repository": "\(proxy.url)/e2e/head", "tag": "v1"])
        #expect(try Self.versions(result) == [["tag": "v1", "digest": pushed.manifestDigest]])
        #expect(try proxy.stats().count("GET", pathContaining: "/manifests/v1") >= 1)
    }

    @Test func badCheckRequestsFailWithOneLine() throws {
        let registry = try TestRegistry(.plain)
        for (request, fragment) in [
            (#"{"source":{"repository":"\#(registry.url)/x","tag_regex":"("}}"#, "tag_regex"),
            (#"{"source":{"repository":"\#(registry.url)/x","tagg":"v1"}}"#, "source.tagg"),
            (#"{"source":{"repository":"\#(registry.url)/x"},"version":{"digest":3}}"#, "version.digest"),
            (#"{"source":{"tag":"v1"}}"#, "source.repository"),
            ("not json", "malformed"),
        ] {
            let result = try ResourceRunner.run(["check"], stdin: Data(request.utf8))
            FetchRequests.expectCleanFailure(result, mentioning: fragment)
        }
    }
}
