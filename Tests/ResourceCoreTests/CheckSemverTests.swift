import Foundation
@testable import ResourceCore
import TestSupport
import Testing

/// Upstream check_test.go "tracking semver tags" table (`UpstreamCheckTable`,
/// shared with the real-registry `CheckTableTests`) plus our own rows, run
/// against the in-memory registry. Tags are listed sorted, as CNCF
/// distribution lists them, unless a row says otherwise.
@Suite("Check: semver and regex tables")
struct CheckSemverTests: CheckTableSuite {
    /// Rows only this suite runs (beyond `UpstreamCheckTable` and `OwnCheckTable`).
    static let localTable: [Row] = [
        Row("constraint filters before pre-release rules",
            tags: ["1.0.0-rc.1": "d1", "1.0.0": "d2"], versions: ["1.0.0"])
            .with { $0.preReleases = true; $0.constraint = ">=1.0.0" },
        Row("created_at_sort orders by created time, oldest first, missing first",
            tags: ["b-1": "d1", "b-2": "d2", "b-3": "d3", "b-4": "d4"],
            versions: ["b-4", "b-3", "b-1", "b-2"])
            .with {
                $0.regex = "^b-"
                $0.createdAtSort = true
                $0.created = ["b-1": "1970-01-01T00:05:00Z", "b-2": "1970-01-01T00:06:40Z",
                              "b-3": "1970-01-01T00:01:40Z"]
            },
    ]

    @Test(arguments: allRows)
    func reportsVersions(_ row: Row) throws {
        let registry = CheckFakeRegistry(tags: row.tags, order: row.listing, created: try Self.dates(row.created))
        let planner = CheckPlanner(source: CheckSource(
            tagRegex: row.regex, createdAtSort: row.createdAtSort, variant: row.variant,
            semverConstraint: row.constraint, preReleases: row.preReleases,
            preReleasePrefixes: row.preReleasePrefixes))
        // The fake's digests are the labels themselves.
        let cursor = row.cursor.map { ResourceVersion(tag: $0.tag, digest: $0.label) }

        let versions = try planner.versions(cursor: cursor, registry: registry)

        let expected = row.versions.map { ResourceVersion(tag: $0, digest: row.tags[$0] ?? "?") }
        #expect(versions == expected)
    }

    /// A row's ISO 8601 `created` strings as dates.
    private static func dates(_ created: [String: String]) throws -> [String: Date] {
        let parser = ISO8601DateFormatter()
        return try created.mapValues { try #require(parser.date(from: $0), "created '\($0)' is not ISO 8601") }
    }

    @Test func cursorSkipsLookupsAtOrBelowIt() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"])
        let planner = CheckPlanner(source: CheckSource())
        let versions = try planner.versions(cursor: ResourceVersion(tag: "1.2.1", digest: "random-3"), registry: registry)
        #expect(versions.map(\.tag) == ["1.2.1", "2.0.0"])
        #expect(registry.digestLookups == [["1.2.1"], ["2.0.0"]])
    }

    @Test func cursorSkipsLessSpecificAliasesOfItsVersion() throws {
        let registry = CheckFakeRegistry(tags: ["1.2": "d1", "1.2.0": "d1", "1.2.1": "d2", "1.3": "d3", "1": "d3", "latest": "d3"])
        let planner = CheckPlanner(source: CheckSource())
        let versions = try planner.versions(cursor: ResourceVersion(tag: "1.2.0", digest: "d1"), registry: registry)
        #expect(versions == [ResourceVersion(tag: "1.2.0", digest: "d1"), ResourceVersion(tag: "1.2.1", digest: "d2"),
                             ResourceVersion(tag: "1.3", digest: "d3")])
        // "1" (=1.0.0) and "1.2" (=1.2.0) are at or below the cursor; the bare tag is always looked up.
        #expect(Set(registry.lookedUpTags) == ["1.2.0", "1.2.1", "1.3", "latest"])
        #expect(registry.digestLookups.first == ["1.2.0"])
    }

    @Test func staleCursorLooksUpEverything() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"])
        let planner = CheckPlanner(source: CheckSource())
        _ = try planner.versions(cursor: ResourceVersion(tag: "1.2.1", digest: "bogus"), registry: registry)
        #expect(registry.lookedUpTags == ["1.2.1", "1.0.0", "2.0.0"])
    }

    @Test func bareTagListedButMissingIsNotReported() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1"], listedButMissing: ["latest"])
        let versions = try CheckPlanner(source: CheckSource()).versions(cursor: nil, registry: registry)
        #expect(versions == [ResourceVersion(tag: "1.0.0", digest: "d1")])
    }

    @Test func versionTagsListedButMissingAreSkipped() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1"], listedButMissing: ["1.1.0"])
        let versions = try CheckPlanner(source: CheckSource()).versions(cursor: nil, registry: registry)
        #expect(versions == [ResourceVersion(tag: "1.0.0", digest: "d1")])
        #expect(registry.lookedUpTags == ["1.0.0", "1.1.0"])
    }

    @Test func nonCandidateTagsAreNeverLookedUp() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1", "nightly": "d2", "1.0.0-foo": "d3", "1.0.0-rc.1": "d4"])
        _ = try CheckPlanner(source: CheckSource()).versions(cursor: nil, registry: registry)
        #expect(registry.lookedUpTags == ["1.0.0"])
    }

    /// Checking `source` against a registry holding `tags` throws an error `isExpected` accepts.
    private func expectCheckError(_ source: CheckSource, tags: [String: String],
                                  sourceLocation: SourceLocation = #_sourceLocation,
                                  _ isExpected: (any Error) -> Bool) {
        let registry = CheckFakeRegistry(tags: tags)
        let planner = CheckPlanner(source: source)
        #expect(sourceLocation: sourceLocation) {
            try planner.versions(cursor: nil, registry: registry)
        } throws: { error in
            isExpected(error)
        }
    }

    @Test func invalidConstraintIsAClearError() {
        expectCheckError(CheckSource(semverConstraint: ">= 1.2 ||| x"), tags: ["1.0.0": "d1"]) { error in
            guard case CheckError.invalidConstraint = error else { return false }
            return String(describing: error).contains("'>= 1.2 ||| x'")
        }
    }

    @Test func invalidRegexIsAClearError() {
        expectCheckError(CheckSource(tagRegex: "gr(a|e"), tags: ["a": "d1"]) { error in
            guard case CheckError.invalidTagRegex(let pattern, _) = error else { return false }
            return pattern == "gr(a|e" && String(describing: error).hasPrefix("invalid tag_regex 'gr(a|e'")
        }
    }

    @Test(arguments: [
        ("(?i)^V\\d+$", "v12", true), ("^\\d+\\.\\d+$", "1.2", true), ("^\\d+\\.\\d+$", "1.2.3", false),
        ("(?P<major>\\d+)-x", "7-x", true), ("[[:alpha:]]+-[0-9a-f]{7}", "main-3bd8a5e", true),
        ("\\Arelease\\z", "release", true), ("\\Arelease\\z", "prerelease", false), ("a|b", "zzb", true),
    ])
    func regexAcceptsRE2Syntax(_ pattern: String, _ tag: String, _ matches: Bool) throws {
        #expect(try TagPattern(pattern).matches(tag) == matches)
    }
}
