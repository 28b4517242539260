import Foundation
import TestSupport
import Testing

/// `registry-image check` as Concourse runs it: request JSON on stdin,
/// versions JSON on stdout, exit status; against a real registry, with a
/// fault proxy in front to count what was asked or to refuse HEAD.
@Suite("check: the executable against a real registry", .serialized)
struct CheckExecutableTests {
    static let semverTags = [
        "1.0.0": "d1", "1.1.0": "d2", "1.1": "d2", "1.2.1": "d3", "1.2": "d3", "1": "d3", "2.0.0": "d4",
        "2.0.0-rc.1": "d5", "latest": "d4", "nightly": "d6",
    ]

    @Test func semverCheckPrintsVersionsOldestFirst() throws {
        let registry = try TestRegistry.shared()
        let fixture = try CheckRepositoryFixture(registry: registry, repository: "exe/semver", tags: Self.semverTags)
        let versions = try ResourceRunner.check(SourceJSON(repository: "\(registry.url)/exe/semver"))
        #expect(versions == [
            VersionJSON(tag: "1.0.0", digest: fixture.digest("d1")), VersionJSON(tag: "1.1.0", digest: fixture.digest("d2")),
            VersionJSON(tag: "1.2.1", digest: fixture.digest("d3")), VersionJSON(tag: "2.0.0", digest: fixture.digest("d4")),
        ])
    }

    @Test func cursorSkipsLookupsOfTagsAtOrBelowIt() throws {
        let registry = try TestRegistry.shared()
        let fixture = try CheckRepositoryFixture(registry: registry, repository: "exe/cursor", tags: Self.semverTags)
        let proxy = try FaultProxy(upstream: registry)
        let source = SourceJSON(repository: "\(proxy.url)/exe/cursor")
        func heads(_ tag: String, _ stats: FaultProxyStats) -> Int { stats.requests["HEAD /v2/exe/cursor/manifests/\(tag)"] ?? 0 }

        _ = try ResourceRunner.check(source)
        let full = try proxy.stats()
        for tag in ["1.0.0", "1.1.0", "1.1", "1.2.1", "1.2", "1", "2.0.0", "latest"] {
            #expect(heads(tag, full) == 1, "without a cursor \(tag) is looked up once")
        }
        #expect(heads("nightly", full) == 0 && heads("2.0.0-rc.1", full) == 0, "non-candidates are never looked up")

        try proxy.resetStats()
        let cursor = VersionJSON(tag: "1.2.1", digest: fixture.digest("d3"))
        let versions = try ResourceRunner.check(source, version: cursor)
        #expect(versions == [cursor, VersionJSON(tag: "2.0.0", digest: fixture.digest("d4"))])
        let skipped = try proxy.stats()
        for tag in ["1.0.0", "1.1.0", "1.1", "1.2", "1"] {
            #expect(heads(tag, skipped) == 0, "\(tag) is at or below the cursor")
        }
        #expect(heads("1.2.1", skipped) == 1 && heads("2.0.0", skipped) == 1 && heads("latest", skipped) == 1)

        try proxy.resetStats()
        let stale = VersionJSON(tag: "1.2.1", digest: CheckRepositoryFixture.vanishedDigest)
        _ = try ResourceRunner.check(source, version: stale)
        #expect(heads("1.0.0", try proxy.stats()) == 1, "a cursor whose digest moved skips nothing")
    }

    @Test func tagModeReportsCursorThenCurrent() throws {
        let registry = try TestRegistry.shared()
        let fixture = try CheckRepositoryFixture(registry: registry, repository: "exe/tag",
                                                 tags: ["stable": "d2", "old": "d1"])
        var source = SourceJSON(repository: "\(registry.url)/exe/tag")
        source.tag = "stable"
        #expect(try ResourceRunner.check(source) == [VersionJSON(tag: "stable", digest: fixture.digest("d2"))])
        let older = VersionJSON(tag: "stable", digest: fixture.digest("d1"))
        #expect(try ResourceRunner.check(source, version: older) == [older, VersionJSON(tag: "stable", digest: fixture.digest("d2"))])
        let vanished = VersionJSON(tag: "stable", digest: CheckRepositoryFixture.vanishedDigest)
        #expect(try ResourceRunner.check(source, version: vanished) == [VersionJSON(tag: "stable", digest: fixture.digest("d2"))])
    }

    @Test func missingTagOrRepositoryIsEmptyInTagModeButAnErrorOtherwise() throws {
        let registry = try TestRegistry.shared()
        _ = try CheckRepositoryFixture(registry: registry, repository: "exe/present", tags: ["1.0.0": "d1"])
        var tagSource = SourceJSON(repository: "\(registry.url)/exe/present")
        tagSource.tag = "missing"
        #expect(try ResourceRunner.check(tagSource) == [])
        tagSource.repository = "\(registry.url)/exe/absent"
        #expect(try ResourceRunner.check(tagSource) == [])

        for regex in [nil, "^1"] {
            var source = SourceJSON(repository: "\(registry.url)/exe/absent")
            source.tagRegex = regex
            let result = try ResourceRunner.run(["check"], stdin: try requestJSON(source: source))
            #expect(result.status != 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("error:") && result.stderr.contains("exe/absent"), "\(result.stderr)")
        }
    }

    @Test func invalidPatternOrConstraintIsAClearError() throws {
        let registry = try TestRegistry.shared()
        _ = try CheckRepositoryFixture(registry: registry, repository: "exe/invalid", tags: ["1.0.0": "d1"])
        var regex = SourceJSON(repository: "\(registry.url)/exe/invalid")
        regex.tagRegex = "gr(a|e"
        let badRegex = try ResourceRunner.run(["check"], stdin: try requestJSON(source: regex))
        #expect(badRegex.status != 0)
        #expect(badRegex.stderr.contains("invalid tag_regex 'gr(a|e'"), "\(badRegex.stderr)")

        var constraint = SourceJSON(repository: "\(registry.url)/exe/invalid")
        constraint.semverConstraint = ">= 1.2 ||| x"
        let badConstraint = try ResourceRunner.run(["check"], stdin: try requestJSON(source: constraint))
        #expect(badConstraint.status != 0)
        #expect(badConstraint.stderr.contains(">= 1.2 ||| x"), "\(badConstraint.stderr)")
    }

    @Test func regexAndCreatedAtSortThroughTheExecutable() throws {
        let registry = try TestRegistry.shared()
        let fixture = try CheckRepositoryFixture(
            registry: registry, repository: "exe/created",
            tags: ["build-a": "d1", "build-b": "d2", "build-c": "d3", "release": "d4"],
            created: ["d1": "2023-05-01T00:00:00Z", "d2": "2021-05-01T00:00:00Z", "d3": "2022-05-01T00:00:00Z"])
        var source = SourceJSON(repository: "\(registry.url)/exe/created")
        source.tagRegex = "build"
        let listed = try ResourceRunner.check(source)
        #expect(Set(listed.map(\.tag)) == ["build-a", "build-b", "build-c"])
        source.createdAtSort = true
        #expect(try ResourceRunner.check(source) == [
            VersionJSON(tag: "build-b", digest: fixture.digest("d2")), VersionJSON(tag: "build-c", digest: fixture.digest("d3")),
            VersionJSON(tag: "build-a", digest: fixture.digest("d1")),
        ])
    }

    // MARK: Tag mode, raw requests

    static func image(_ content: String) -> ImageSpec {
        ImageSpec(tag: "t", layers: [LayerSpec([.file("version", content)])])
    }

    static func check(_ source: [String: Any], version: [String: Any]? = nil) throws -> CommandResult {
        var request: [String: Any] = ["source": source]
        if let version { request["version"] = version }
        return try ResourceRunner.run(["check"], request: request)
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
