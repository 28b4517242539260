import Foundation
import TestSupport
import Testing

/// `registry-image check` as Concourse runs it: request JSON on stdin,
/// versions JSON on stdout, exit status; against a real registry, with a
/// fault proxy in front to count what was asked.
@Suite("Check executable against a real registry")
struct CheckExecutableTests {
    static let semverTags = [
        "1.0.0": "d1", "1.1.0": "d2", "1.1": "d2", "1.2.1": "d3", "1.2": "d3", "1": "d3", "2.0.0": "d4",
        "2.0.0-rc.1": "d5", "latest": "d4", "nightly": "d6",
    ]

    @Test func semverCheckPrintsVersionsOldestFirst() throws {
        let registry = try SharedCheckRegistry.shared.get()
        let fixture = try CheckRepositoryFixture(registry: registry, repository: "exe/semver", tags: Self.semverTags)
        let versions = try ResourceExecutable.check(SourceJSON(repository: "\(registry.url)/exe/semver"))
        #expect(versions == [
            VersionJSON(tag: "1.0.0", digest: fixture.digest("d1")), VersionJSON(tag: "1.1.0", digest: fixture.digest("d2")),
            VersionJSON(tag: "1.2.1", digest: fixture.digest("d3")), VersionJSON(tag: "2.0.0", digest: fixture.digest("d4")),
        ])
    }

    @Test func cursorSkipsLookupsOfTagsAtOrBelowIt() throws {
        let registry = try SharedCheckRegistry.shared.get()
        let fixture = try CheckRepositoryFixture(registry: registry, repository: "exe/cursor", tags: Self.semverTags)
        let proxy = try FaultProxy(upstream: registry)
        let source = SourceJSON(repository: "\(proxy.url)/exe/cursor")
        func heads(_ tag: String, _ stats: FaultProxyStats) -> Int { stats.requests["HEAD /v2/exe/cursor/manifests/\(tag)"] ?? 0 }

        _ = try ResourceExecutable.check(source)
        let full = try proxy.stats()
        for tag in ["1.0.0", "1.1.0", "1.1", "1.2.1", "1.2", "1", "2.0.0", "latest"] {
            #expect(heads(tag, full) == 1, "without a cursor \(tag) is looked up once")
        }
        #expect(heads("nightly", full) == 0 && heads("2.0.0-rc.1", full) == 0, "non-candidates are never looked up")

        try proxy.resetStats()
        let cursor = VersionJSON(tag: "1.2.1", digest: fixture.digest("d3"))
        let versions = try ResourceExecutable.check(source, version: cursor)
        #expect(versions == [cursor, VersionJSON(tag: "2.0.0", digest: fixture.digest("d4"))])
        let skipped = try proxy.stats()
        for tag in ["1.0.0", "1.1.0", "1.1", "1.2", "1"] {
            #expect(heads(tag, skipped) == 0, "\(tag) is at or below the cursor")
        }
        #expect(heads("1.2.1", skipped) == 1 && heads("2.0.0", skipped) == 1 && heads("latest", skipped) == 1)

        try proxy.resetStats()
        let stale = VersionJSON(tag: "1.2.1", digest: CheckRepositoryFixture.vanishedDigest)
        _ = try ResourceExecutable.check(source, version: stale)
        #expect(heads("1.0.0", try proxy.stats()) == 1, "a cursor whose digest moved skips nothing")
    }

    @Test func tagModeReportsCursorThenCurrent() throws {
        let registry = try SharedCheckRegistry.shared.get()
        let fixture = try CheckRepositoryFixture(registry: registry, repository: "exe/tag",
                                                 tags: ["stable": "d2", "old": "d1"])
        var source = SourceJSON(repository: "\(registry.url)/exe/tag")
        source.tag = "stable"
        #expect(try ResourceExecutable.check(source) == [VersionJSON(tag: "stable", digest: fixture.digest("d2"))])
        let older = VersionJSON(tag: "stable", digest: fixture.digest("d1"))
        #expect(try ResourceExecutable.check(source, version: older) == [older, VersionJSON(tag: "stable", digest: fixture.digest("d2"))])
        let vanished = VersionJSON(tag: "stable", digest: CheckRepositoryFixture.vanishedDigest)
        #expect(try ResourceExecutable.check(source, version: vanished) == [VersionJSON(tag: "stable", digest: fixture.digest("d2"))])
    }

    @Test func missingTagOrRepositoryIsEmptyInTagModeButAnErrorOtherwise() throws {
        let registry = try SharedCheckRegistry.shared.get()
        _ = try CheckRepositoryFixture(registry: registry, repository: "exe/present", tags: ["1.0.0": "d1"])
        var tagSource = SourceJSON(repository: "\(registry.url)/exe/present")
        tagSource.tag = "missing"
        #expect(try ResourceExecutable.check(tagSource) == [])
        tagSource.repository = "\(registry.url)/exe/absent"
        #expect(try ResourceExecutable.check(tagSource) == [])

        for regex in [nil, "^1"] {
            var source = SourceJSON(repository: "\(registry.url)/exe/absent")
            source.tagRegex = regex
            let result = try ResourceExecutable.run(["check"], stdin: try requestJSON(source: source))
            #expect(result.status != 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("error:") && result.stderr.contains("exe/absent"), "\(result.stderr)")
        }
    }

    @Test func invalidPatternOrConstraintIsAClearError() throws {
        let registry = try SharedCheckRegistry.shared.get()
        _ = try CheckRepositoryFixture(registry: registry, repository: "exe/invalid", tags: ["1.0.0": "d1"])
        var regex = SourceJSON(repository: "\(registry.url)/exe/invalid")
        regex.tagRegex = "gr(a|e"
        let badRegex = try ResourceExecutable.run(["check"], stdin: try requestJSON(source: regex))
        #expect(badRegex.status != 0)
        #expect(badRegex.stderr.contains("invalid tag_regex 'gr(a|e'"), "\(badRegex.stderr)")

        var constraint = SourceJSON(repository: "\(registry.url)/exe/invalid")
        constraint.semverConstraint = ">= 1.2 ||| x"
        let badConstraint = try ResourceExecutable.run(["check"], stdin: try requestJSON(source: constraint))
        #expect(badConstraint.status != 0)
        #expect(badConstraint.stderr.contains(">= 1.2 ||| x"), "\(badConstraint.stderr)")
    }

    @Test func regexAndCreatedAtSortThroughTheExecutable() throws {
        let registry = try SharedCheckRegistry.shared.get()
        let fixture = try CheckRepositoryFixture(
            registry: registry, repository: "exe/created",
            tags: ["build-a": "d1", "build-b": "d2", "build-c": "d3", "release": "d4"],
            created: ["d1": "2023-05-01T00:00:00Z", "d2": "2021-05-01T00:00:00Z", "d3": "2022-05-01T00:00:00Z"])
        var source = SourceJSON(repository: "\(registry.url)/exe/created")
        source.tagRegex = "build"
        let listed = try ResourceExecutable.check(source)
        #expect(Set(listed.map(\.tag)) == ["build-a", "build-b", "build-c"])
        source.createdAtSort = true
        #expect(try ResourceExecutable.check(source) == [
            VersionJSON(tag: "build-b", digest: fixture.digest("d2")), VersionJSON(tag: "build-c", digest: fixture.digest("d3")),
            VersionJSON(tag: "build-a", digest: fixture.digest("d1")),
        ])
    }
}
