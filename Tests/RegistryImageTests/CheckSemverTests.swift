import Foundation
import Testing
@testable import RegistryImage

/// Upstream check_test.go "tracking semver tags" table (registry-mirror and
/// HEAD-fallback rows are registry-client concerns, tested elsewhere), run
/// against the in-memory registry. Tags are listed sorted, as CNCF
/// distribution lists them.
@Suite("Check: semver and regex tables")
struct CheckSemverTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        var tags: [String: String]
        var preReleases = false
        var preReleasePrefixes: [String] = []
        var variant: String?
        var regex: String?
        var createdAtSort = false
        var created: [String: Date] = [:]
        var constraint: String?
        var from: (tag: String, digest: String)?
        let versions: [String]
        var testDescription: String { name }

        init(_ name: String, tags: [String: String], versions: [String]) {
            self.name = name
            self.tags = tags
            self.versions = versions
        }

        func with(_ change: (inout Example) -> Void) -> Example {
            var copy = self
            change(&copy)
            return copy
        }
    }

    static let upstreamTable: [Example] = [
        Example("no semver tags", tags: ["non-semver-tag": "random-1"], versions: []),
        Example("no matching regex tags", tags: ["non-matching-regex-tag": "random-1"], versions: [])
            .with { $0.regex = "foo.*" },
        Example("latest tag", tags: ["non-semver-tag": "random-1", "latest": "random-2"], versions: ["latest"]),
        Example("simple tag regex",
                tags: ["1.0.0": "random-1", "non-semver-tag": "random-2", "gray": "random-3", "grey": "random-4"],
                versions: ["gray", "grey"])
            .with { $0.regex = "gr(a|e)y" },
        // Upstream's TagsToTime keys do not name these tags, so both times are zero and registry order stays.
        Example("simple tag regex where sorted is true",
                tags: ["1.0.0": "random-1", "non-semver-tag": "random-2",
                       "gem-182-git-6bd8a5e1a2b3": "random-3", "gem-1811-git-4bd8a5e1a244": "random-4"],
                versions: ["gem-1811-git-4bd8a5e1a244", "gem-182-git-6bd8a5e1a2b3"])
            .with {
                $0.regex = "gem-(\\d+)-git-([a-f0-9]{12})"
                $0.createdAtSort = true
                $0.created = ["gem-181-git-6bd8a5e1a2b3": Date(timeIntervalSince1970: 10),
                              "gem-1337-git-4bd8a5e1a244": Date(timeIntervalSince1970: 1000)]
            },
        Example("regex override semver constraint",
                tags: ["1.0.0": "random-1", "1.2.1": "random-3", "1.2.2": "random-4", "2.0.0": "random-5",
                       "latest": "random-6", "gray": "random-7", "grey": "random-8"],
                versions: ["gray", "grey"])
            .with { $0.regex = "gr(a|e)y"; $0.constraint = "1.2.x" },
        Example("semver and non-semver tags", tags: ["1.0.0": "random-1", "non-semver-tag": "random-2"],
                versions: ["1.0.0"]),
        Example("regex maintain ordering",
                tags: ["1.0.0": "random-1", "3bd8a5e-dev": "random-2", "3bd8a5e-stage": "random-3",
                       "non-matching-regex-tag": "random-4", "67e3c33-dev": "random-5"],
                versions: ["3bd8a5e-dev", "67e3c33-dev"])
            .with { $0.regex = "^[0-9a-f]{7}-dev$" },
        Example("semver tag ordering", tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
                versions: ["1.0.0", "1.2.1", "2.0.0"]),
        Example("semver tag ordering with cursor",
                tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
                versions: ["1.2.1", "2.0.0"])
            .with { $0.from = ("1.2.1", "random-3") },
        Example("semver tag ordering with cursor with different digest",
                tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
                versions: ["1.0.0", "1.2.1", "2.0.0"])
            .with { $0.from = ("1.2.1", "bogus") },
        Example("semver constraint",
                tags: ["1.0.0": "random-1", "1.2.1": "random-3", "1.2.2": "random-4", "2.0.0": "random-5",
                       "latest": "random-6"],
                versions: ["1.2.1", "1.2.2"])
            .with { $0.constraint = "1.2.x" },
        Example("prereleases ignored by default",
                tags: ["1.0.0-alpha.1": "random-0", "1.0.0": "random-1", "1.2.1-beta.1": "random-2",
                       "1.2.1": "random-3", "2.0.0-rc.1": "random-4", "2.0.0": "random-5"],
                versions: ["1.0.0", "1.2.1", "2.0.0"]),
        Example("prereleases opted in",
                tags: ["1.0.0-alpha.1": "random-0", "1.0.0": "random-1", "1.2.1-beta.1": "random-2",
                       "1.2.1": "random-3", "2.0.0-rc.1": "random-4", "2.0.0": "random-5"],
                versions: ["1.0.0-alpha.1", "1.0.0", "1.2.1-beta.1", "1.2.1", "2.0.0-rc.1", "2.0.0"])
            .with { $0.preReleases = true },
        Example("prereleases do not include 'variants'",
                tags: ["1.0.0-alpha.1": "random-0", "1.0.0-beta.1": "random-1", "1.0.0-rc.1": "random-2",
                       "1.0.0-foo.1": "random-3"],
                versions: ["1.0.0-alpha.1", "1.0.0-beta.1", "1.0.0-rc.1"])
            .with { $0.preReleases = true },
        Example("prereleases do not require dot",
                tags: ["1.0.0-alpha1": "random-0", "1.0.0-alpha2": "random-1", "1.0.0-beta1": "random-2",
                       "1.0.0-beta2": "random-3", "1.0.0-rc1": "random-4", "1.0.0-rc2": "random-5",
                       "1.0.0-foo1": "random-6", "1.0.0-foo2": "random-7"],
                versions: ["1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-rc1", "1.0.0-rc2"])
            .with { $0.preReleases = true },
        Example("prereleases do not require number",
                tags: ["1.0.0-alpha": "random-0", "1.0.0-beta": "random-1", "1.0.0-rc": "random-2",
                       "1.0.0-foo": "random-3"],
                versions: ["1.0.0-alpha", "1.0.0-beta", "1.0.0-rc"])
            .with { $0.preReleases = true },
        Example("final versions take priority over rcs",
                tags: ["1.0.0-rc.1": "random-2", "1.0.0-rc1": "random-2", "1.0.0-rc": "random-2", "1.0.0": "random-2"],
                versions: ["1.0.0"])
            .with { $0.preReleases = true },
        Example("mixed specificity semver tags",
                tags: ["1": "random-1", "2": "random-2", "2.1": "random-2", "latest": "random-3", "3": "random-3",
                       "3.2": "random-3", "3.2.1": "random-3", "3.1": "random-4", "3.1.0": "random-4",
                       "3.0": "random-5", "3.0.0": "random-5"],
                versions: ["1", "2.1", "3.0.0", "3.1.0", "3.2.1"]),
        Example("semver tags with latest tag having unique digest",
                tags: ["1.0.0": "random-1", "non-semver-tag": "random-2", "latest": "random-3"],
                versions: ["1.0.0", "latest"]),
        Example("latest tag pointing to latest version",
                tags: ["1": "random-1", "2": "random-2", "3": "random-3", "latest": "random-3"],
                versions: ["1", "2", "3"]),
        Example("latest tag pointing to older version",
                tags: ["1": "random-1", "2": "random-2", "latest": "random-2", "3": "random-3"],
                versions: ["1", "2", "3"]),
        Example("variants",
                tags: ["latest": "random-1", "1.0.0": "random-1", "0.9.0": "random-2", "foo": "random-3",
                       "1.0.0-foo": "random-3", "0.9.0-foo": "random-4", "bar": "random-5", "1.0.0-bar": "random-5",
                       "0.9.0-bar": "random-6"],
                versions: ["0.9.0-foo", "1.0.0-foo"])
            .with { $0.variant = "foo" },
        Example("variant with bare variant tag pointing to unique digest",
                tags: ["latest": "random-1", "1.0.0": "random-1", "0.9.0": "random-2", "foo": "random-3",
                       "0.8.0-foo": "random-4", "bar": "random-5", "1.0.0-bar": "random-5", "0.9.0-bar": "random-6"],
                versions: ["0.8.0-foo", "foo"])
            .with { $0.variant = "foo" },
        Example("distinguishing additional variants from prereleases",
                tags: ["1.0.0-foo": "random-1", "1.0.0-rc.1-foo": "random-2", "1.0.0-alpha.1-foo": "random-3",
                       "1.0.0-beta.1-foo": "random-4", "1.0.0-bar-foo": "random-5", "1.0.0-rc.1-bar-foo": "random-6",
                       "1.0.0-alpha.1-bar-foo": "random-7", "1.0.0-beta.1-bar-foo": "random-8"],
                versions: ["1.0.0-alpha.1-foo", "1.0.0-beta.1-foo", "1.0.0-rc.1-foo", "1.0.0-foo"])
            .with { $0.variant = "foo"; $0.preReleases = true },
    ]

    static let ownTable: [Example] = [
        Example("pre_release_prefixes add to alpha/beta/rc and allow further dashes",
                tags: ["1.0.0-dev.1": "d1", "1.0.0-build-5": "d2", "1.0.0-foo": "d3", "1.0.0-rc.1-x": "d4", "1.0.0": "d5"],
                versions: ["1.0.0-build-5", "1.0.0-dev.1", "1.0.0-rc.1-x", "1.0.0"])
            .with { $0.preReleases = true; $0.preReleasePrefixes = ["dev", "build"] },
        Example("pre_release_prefixes need pre_releases",
                tags: ["1.0.0-dev.1": "d1", "1.0.0": "d5"], versions: ["1.0.0"])
            .with { $0.preReleasePrefixes = ["dev"] },
        Example("v-prefixed and plain tags of one digest keep the first listed",
                tags: ["1.2.3": "d1", "v1.2.3": "d1", "v1.3": "d2"], versions: ["1.2.3", "v1.3"]),
        Example("constraint with pre-release floor admits pre-releases",
                tags: ["1.0.0-rc.1": "d1", "1.0.0": "d2", "2.0.0-beta": "d3", "latest": "d4"],
                versions: ["1.0.0-rc.1", "1.0.0", "2.0.0-beta"])
            .with { $0.preReleases = true; $0.constraint = ">=1.0.0-0" },
        Example("constraint filters before pre-release rules",
                tags: ["1.0.0-rc.1": "d1", "1.0.0": "d2"], versions: ["1.0.0"])
            .with { $0.preReleases = true; $0.constraint = ">=1.0.0" },
        Example("variant with dots keeps dot count of the version part",
                tags: ["1.2-php7.3": "d1", "1.2.0-php7.3": "d1", "php7.3": "d9"], versions: ["1.2.0-php7.3", "php7.3"])
            .with { $0.variant = "php7.3" },
        Example("equal versions with different digests are both kept, listing order for ties",
                tags: ["1.0": "d1", "1.0.0": "d2"], versions: ["1.0", "1.0.0"]),
        Example("invalid cursor tag is ignored",
                tags: ["1.0.0": "d1", "2.0.0": "d2"], versions: ["1.0.0", "2.0.0"])
            .with { $0.from = ("9.9.9", "d9") },
        Example("regex is unanchored and reports every tag of a digest",
                tags: ["xaby": "d1", "ab": "d1", "nope": "d2"], versions: ["ab", "xaby"])
            .with { $0.regex = "ab" },
        Example("regex ignores the cursor",
                tags: ["a1": "d1", "a2": "d2"], versions: ["a1", "a2"])
            .with { $0.regex = "a"; $0.from = ("a2", "d2") },
        Example("created_at_sort orders by created time, oldest first, missing first",
                tags: ["b-1": "d1", "b-2": "d2", "b-3": "d3", "b-4": "d4"],
                versions: ["b-4", "b-3", "b-1", "b-2"])
            .with {
                $0.regex = "^b-"
                $0.createdAtSort = true
                $0.created = ["b-1": Date(timeIntervalSince1970: 300), "b-2": Date(timeIntervalSince1970: 400),
                              "b-3": Date(timeIntervalSince1970: 100)]
            },
    ]

    @Test(arguments: upstreamTable + ownTable)
    func reportsVersions(_ example: Example) throws {
        let registry = CheckFakeRegistry(tags: example.tags, created: example.created)
        let planner = CheckPlanner(source: CheckSource(
            tagRegex: example.regex, createdAtSort: example.createdAtSort, variant: example.variant,
            semverConstraint: example.constraint, preReleases: example.preReleases,
            preReleasePrefixes: example.preReleasePrefixes))
        let cursor = example.from.map { CheckVersion(tag: $0.tag, digest: $0.digest) }

        let versions = try planner.versions(cursor: cursor, registry: registry)

        let expected = example.versions.map { CheckVersion(tag: $0, digest: example.tags[$0] ?? "?") }
        #expect(versions == expected)
    }

    @Test func cursorSkipsLookupsAtOrBelowIt() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"])
        let planner = CheckPlanner(source: CheckSource())
        let versions = try planner.versions(cursor: CheckVersion(tag: "1.2.1", digest: "random-3"), registry: registry)
        #expect(versions.map(\.tag) == ["1.2.1", "2.0.0"])
        #expect(registry.digestLookups == [["1.2.1"], ["2.0.0"]])
    }

    @Test func cursorSkipsLessSpecificAliasesOfItsVersion() throws {
        let registry = CheckFakeRegistry(tags: ["1.2": "d1", "1.2.0": "d1", "1.2.1": "d2", "1.3": "d3", "1": "d3", "latest": "d3"])
        let planner = CheckPlanner(source: CheckSource())
        let versions = try planner.versions(cursor: CheckVersion(tag: "1.2.0", digest: "d1"), registry: registry)
        #expect(versions == [CheckVersion(tag: "1.2.0", digest: "d1"), CheckVersion(tag: "1.2.1", digest: "d2"),
                             CheckVersion(tag: "1.3", digest: "d3")])
        // "1" (=1.0.0) and "1.2" (=1.2.0) are at or below the cursor; the bare tag is always looked up.
        #expect(Set(registry.lookedUpTags) == ["1.2.0", "1.2.1", "1.3", "latest"])
        #expect(registry.digestLookups.first == ["1.2.0"])
    }

    @Test func staleCursorLooksUpEverything() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"])
        let planner = CheckPlanner(source: CheckSource())
        _ = try planner.versions(cursor: CheckVersion(tag: "1.2.1", digest: "bogus"), registry: registry)
        #expect(registry.lookedUpTags == ["1.2.1", "1.0.0", "2.0.0"])
    }

    @Test func bareTagListedButMissingIsNotReported() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1"], listedButMissing: ["latest"])
        let versions = try CheckPlanner(source: CheckSource()).versions(cursor: nil, registry: registry)
        #expect(versions == [CheckVersion(tag: "1.0.0", digest: "d1")])
    }

    @Test func versionTagsListedButMissingAreSkipped() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1"], listedButMissing: ["1.1.0"])
        let versions = try CheckPlanner(source: CheckSource()).versions(cursor: nil, registry: registry)
        #expect(versions == [CheckVersion(tag: "1.0.0", digest: "d1")])
        #expect(registry.lookedUpTags == ["1.0.0", "1.1.0"])
    }

    @Test func nonCandidateTagsAreNeverLookedUp() throws {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1", "nightly": "d2", "1.0.0-foo": "d3", "1.0.0-rc.1": "d4"])
        _ = try CheckPlanner(source: CheckSource()).versions(cursor: nil, registry: registry)
        #expect(registry.lookedUpTags == ["1.0.0"])
    }

    @Test func invalidConstraintIsAClearError() {
        let registry = CheckFakeRegistry(tags: ["1.0.0": "d1"])
        let planner = CheckPlanner(source: CheckSource(semverConstraint: ">= 1.2 ||| x"))
        #expect {
            try planner.versions(cursor: nil, registry: registry)
        } throws: { error in
            guard case CheckError.invalidConstraint = error else { return false }
            return String(describing: error).contains("'>= 1.2 ||| x'")
        }
    }

    @Test func invalidRegexIsAClearError() {
        let registry = CheckFakeRegistry(tags: ["a": "d1"])
        let planner = CheckPlanner(source: CheckSource(tagRegex: "gr(a|e"))
        #expect {
            try planner.versions(cursor: nil, registry: registry)
        } throws: { error in
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
