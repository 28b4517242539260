import Foundation
@testable import RegistryImage
import Testing
import TestSupport

/// Upstream's check_test.go "tracking semver tags" table (plus our own rows),
/// each row pushed as real images into its own repository of a real registry
/// and checked through `CheckCommand.run`. A fault proxy in front serves the
/// tag listing in a fixed order (sorted, as upstream's fake registry lists,
/// unless a row says otherwise) and paginates it two tags a page, so every row
/// also walks `Link` pagination to the end.
@Suite("Check against a real registry: semver and regex table")
struct CheckTableTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        /// tag → digest label; one distinct image per label.
        let tags: [String: String]
        /// The listing order served (default: sorted).
        var listing: [String]?
        var preReleases = false
        var preReleasePrefixes: [String] = []
        var variant: String?
        var regex: String?
        var createdAtSort = false
        /// digest label → image `created`.
        var created: [String: String] = [:]
        var constraint: String?
        /// Cursor (tag, digest label); a label not in `tags` is a vanished digest.
        var cursor: (tag: String, label: String)?
        /// Expected tags, in order; digests are those of their labels.
        let versions: [String]
        var testDescription: String { name }

        init(_ name: String, tags: [String: String], versions: [String]) {
            self.name = name
            self.tags = tags
            self.versions = versions
        }

        func with(_ change: (inout Row) -> Void) -> Row {
            var copy = self
            change(&copy)
            return copy
        }
    }

    static let upstreamTable: [Row] = [
        Row("no semver tags", tags: ["non-semver-tag": "random-1"], versions: []),
        Row("no matching regex tags", tags: ["non-matching-regex-tag": "random-1"], versions: [])
            .with { $0.regex = "foo.*" },
        Row("latest tag", tags: ["non-semver-tag": "random-1", "latest": "random-2"], versions: ["latest"]),
        Row("simple tag regex",
            tags: ["1.0.0": "random-1", "non-semver-tag": "random-2", "gray": "random-3", "grey": "random-4"],
            versions: ["gray", "grey"])
            .with { $0.regex = "gr(a|e)y" },
        // Equal `created` times keep the registry's order.
        Row("simple tag regex where sorted is true",
            tags: ["1.0.0": "random-1", "non-semver-tag": "random-2",
                   "gem-182-git-6bd8a5e1a2b3": "random-3", "gem-1811-git-4bd8a5e1a244": "random-4"],
            versions: ["gem-1811-git-4bd8a5e1a244", "gem-182-git-6bd8a5e1a2b3"])
            .with { $0.regex = "gem-(\\d+)-git-([a-f0-9]{12})"; $0.createdAtSort = true },
        Row("regex override semver constraint",
            tags: ["1.0.0": "random-1", "1.2.1": "random-3", "1.2.2": "random-4", "2.0.0": "random-5",
                   "latest": "random-6", "gray": "random-7", "grey": "random-8"],
            versions: ["gray", "grey"])
            .with { $0.regex = "gr(a|e)y"; $0.constraint = "1.2.x" },
        Row("semver and non-semver tags", tags: ["1.0.0": "random-1", "non-semver-tag": "random-2"], versions: ["1.0.0"]),
        Row("regex maintain ordering",
            tags: ["1.0.0": "random-1", "3bd8a5e-dev": "random-2", "3bd8a5e-stage": "random-3",
                   "non-matching-regex-tag": "random-4", "67e3c33-dev": "random-5"],
            versions: ["3bd8a5e-dev", "67e3c33-dev"])
            .with { $0.regex = "^[0-9a-f]{7}-dev$" },
        Row("semver tag ordering", tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
            versions: ["1.0.0", "1.2.1", "2.0.0"]),
        Row("semver tag ordering with cursor", tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
            versions: ["1.2.1", "2.0.0"])
            .with { $0.cursor = ("1.2.1", "random-3") },
        Row("semver tag ordering with cursor with different digest",
            tags: ["1.0.0": "random-1", "1.2.1": "random-3", "2.0.0": "random-5"],
            versions: ["1.0.0", "1.2.1", "2.0.0"])
            .with { $0.cursor = ("1.2.1", "bogus") },
        Row("semver constraint",
            tags: ["1.0.0": "random-1", "1.2.1": "random-3", "1.2.2": "random-4", "2.0.0": "random-5", "latest": "random-6"],
            versions: ["1.2.1", "1.2.2"])
            .with { $0.constraint = "1.2.x" },
        Row("prereleases ignored by default",
            tags: ["1.0.0-alpha.1": "random-0", "1.0.0": "random-1", "1.2.1-beta.1": "random-2",
                   "1.2.1": "random-3", "2.0.0-rc.1": "random-4", "2.0.0": "random-5"],
            versions: ["1.0.0", "1.2.1", "2.0.0"]),
        Row("prereleases opted in",
            tags: ["1.0.0-alpha.1": "random-0", "1.0.0": "random-1", "1.2.1-beta.1": "random-2",
                   "1.2.1": "random-3", "2.0.0-rc.1": "random-4", "2.0.0": "random-5"],
            versions: ["1.0.0-alpha.1", "1.0.0", "1.2.1-beta.1", "1.2.1", "2.0.0-rc.1", "2.0.0"])
            .with { $0.preReleases = true },
        Row("prereleases do not include 'variants'",
            tags: ["1.0.0-alpha.1": "random-0", "1.0.0-beta.1": "random-1", "1.0.0-rc.1": "random-2", "1.0.0-foo.1": "random-3"],
            versions: ["1.0.0-alpha.1", "1.0.0-beta.1", "1.0.0-rc.1"])
            .with { $0.preReleases = true },
        Row("prereleases do not require dot",
            tags: ["1.0.0-alpha1": "random-0", "1.0.0-alpha2": "random-1", "1.0.0-beta1": "random-2",
                   "1.0.0-beta2": "random-3", "1.0.0-rc1": "random-4", "1.0.0-rc2": "random-5",
                   "1.0.0-foo1": "random-6", "1.0.0-foo2": "random-7"],
            versions: ["1.0.0-alpha1", "1.0.0-alpha2", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-rc1", "1.0.0-rc2"])
            .with { $0.preReleases = true },
        Row("prereleases do not require number",
            tags: ["1.0.0-alpha": "random-0", "1.0.0-beta": "random-1", "1.0.0-rc": "random-2", "1.0.0-foo": "random-3"],
            versions: ["1.0.0-alpha", "1.0.0-beta", "1.0.0-rc"])
            .with { $0.preReleases = true },
        Row("final versions take priority over rcs",
            tags: ["1.0.0-rc.1": "random-2", "1.0.0-rc1": "random-2", "1.0.0-rc": "random-2", "1.0.0": "random-2"],
            versions: ["1.0.0"])
            .with { $0.preReleases = true },
        Row("mixed specificity semver tags",
            tags: ["1": "random-1", "2": "random-2", "2.1": "random-2", "latest": "random-3", "3": "random-3",
                   "3.2": "random-3", "3.2.1": "random-3", "3.1": "random-4", "3.1.0": "random-4",
                   "3.0": "random-5", "3.0.0": "random-5"],
            versions: ["1", "2.1", "3.0.0", "3.1.0", "3.2.1"]),
        Row("semver tags with latest tag having unique digest",
            tags: ["1.0.0": "random-1", "non-semver-tag": "random-2", "latest": "random-3"],
            versions: ["1.0.0", "latest"]),
        Row("latest tag pointing to latest version",
            tags: ["1": "random-1", "2": "random-2", "3": "random-3", "latest": "random-3"], versions: ["1", "2", "3"]),
        Row("latest tag pointing to older version",
            tags: ["1": "random-1", "2": "random-2", "latest": "random-2", "3": "random-3"], versions: ["1", "2", "3"]),
        Row("variants",
            tags: ["latest": "random-1", "1.0.0": "random-1", "0.9.0": "random-2", "foo": "random-3",
                   "1.0.0-foo": "random-3", "0.9.0-foo": "random-4", "bar": "random-5", "1.0.0-bar": "random-5",
                   "0.9.0-bar": "random-6"],
            versions: ["0.9.0-foo", "1.0.0-foo"])
            .with { $0.variant = "foo" },
        Row("variant with bare variant tag pointing to unique digest",
            tags: ["latest": "random-1", "1.0.0": "random-1", "0.9.0": "random-2", "foo": "random-3",
                   "0.8.0-foo": "random-4", "bar": "random-5", "1.0.0-bar": "random-5", "0.9.0-bar": "random-6"],
            versions: ["0.8.0-foo", "foo"])
            .with { $0.variant = "foo" },
        Row("distinguishing additional variants from prereleases",
            tags: ["1.0.0-foo": "random-1", "1.0.0-rc.1-foo": "random-2", "1.0.0-alpha.1-foo": "random-3",
                   "1.0.0-beta.1-foo": "random-4", "1.0.0-bar-foo": "random-5", "1.0.0-rc.1-bar-foo": "random-6",
                   "1.0.0-alpha.1-bar-foo": "random-7", "1.0.0-beta.1-bar-foo": "random-8"],
            versions: ["1.0.0-alpha.1-foo", "1.0.0-beta.1-foo", "1.0.0-rc.1-foo", "1.0.0-foo"])
            .with { $0.variant = "foo"; $0.preReleases = true },
    ]

    static let ownTable: [Row] = [
        Row("v-prefixed tags count as versions",
            tags: ["v1.0.0": "d1", "v1.1": "d2", "v2": "d3", "vnext": "d4"], versions: ["v1.0.0", "v1.1", "v2"]),
        Row("v-prefixed and plain tags of one digest keep the first listed",
            tags: ["1.2.3": "d1", "v1.2.3": "d1", "v1.3": "d2"], versions: ["1.2.3", "v1.3"]),
        Row("pre_release_prefixes add to alpha/beta/rc and allow further dashes",
            tags: ["1.0.0-dev.1": "d1", "1.0.0-build-5": "d2", "1.0.0-foo": "d3", "1.0.0-rc.1-x": "d4", "1.0.0": "d5"],
            versions: ["1.0.0-build-5", "1.0.0-dev.1", "1.0.0-rc.1-x", "1.0.0"])
            .with { $0.preReleases = true; $0.preReleasePrefixes = ["dev", "build"] },
        Row("pre_release_prefixes need pre_releases", tags: ["1.0.0-dev.1": "d1", "1.0.0": "d5"], versions: ["1.0.0"])
            .with { $0.preReleasePrefixes = ["dev"] },
        Row("constraint with pre-release floor admits pre-releases",
            tags: ["1.0.0-rc.1": "d1", "1.0.0": "d2", "2.0.0-beta": "d3", "latest": "d4"],
            versions: ["1.0.0-rc.1", "1.0.0", "2.0.0-beta"])
            .with { $0.preReleases = true; $0.constraint = ">=1.0.0-0" },
        Row("Masterminds constraint with || and ~",
            tags: ["1.1.0": "d1", "1.2.0": "d2", "1.2.9": "d3", "1.3.0": "d4", "3.0.1": "d5"],
            versions: ["1.2.0", "1.2.9", "3.0.1"])
            .with { $0.constraint = "~1.2 || >= 3" },
        Row("variant with dots keeps dot count of the version part",
            tags: ["1.2-php7.3": "d1", "1.2.0-php7.3": "d1", "php7.3": "d9"], versions: ["1.2.0-php7.3", "php7.3"])
            .with { $0.variant = "php7.3" },
        Row("equal versions with different digests are both kept, listing order for ties",
            tags: ["1.0": "d1", "1.0.0": "d2"], versions: ["1.0", "1.0.0"]),
        Row("cursor whose tag is gone is ignored", tags: ["1.0.0": "d1", "2.0.0": "d2"], versions: ["1.0.0", "2.0.0"])
            .with { $0.cursor = ("9.9.9", "d9") },
        Row("cursor at the newest version returns it, and latest when unique",
            tags: ["1.0.0": "d1", "2.0.0": "d2", "latest": "d3"], versions: ["2.0.0", "latest"])
            .with { $0.cursor = ("2.0.0", "d2") },
        Row("regex is unanchored and reports every tag of a digest",
            tags: ["xaby": "d1", "ab": "d1", "nope": "d2"], versions: ["ab", "xaby"])
            .with { $0.regex = "ab" },
        Row("regex keeps the registry's own order, whatever it is",
            tags: ["67e3c33-dev": "d1", "1.0.0": "d2", "3bd8a5e-dev": "d3", "0aaaaaa-dev": "d4"],
            versions: ["67e3c33-dev", "3bd8a5e-dev", "0aaaaaa-dev"])
            .with { $0.regex = "-dev$"; $0.listing = ["67e3c33-dev", "1.0.0", "3bd8a5e-dev", "0aaaaaa-dev"] },
        Row("regex ignores the cursor", tags: ["a1": "d1", "a2": "d2"], versions: ["a1", "a2"])
            .with { $0.regex = "a"; $0.cursor = ("a2", "d2") },
        Row("created_at_sort orders by config created time, oldest first",
            tags: ["b-1": "d1", "b-2": "d2", "b-3": "d3", "b-4": "d4", "other": "d5"],
            versions: ["b-4", "b-3", "b-1", "b-2"])
            .with {
                $0.regex = "^b-"
                $0.createdAtSort = true
                $0.created = ["d1": "2021-03-01T00:00:00Z", "d2": "2022-01-01T00:00:00Z",
                              "d3": "2020-06-01T12:00:00Z", "d4": "2019-01-01T00:00:00Z"]
            },
        Row("tag_regex overrides semver settings",
            tags: ["1.0.0": "d1", "1.0.0-foo": "d2", "foo": "d3"], versions: ["1.0.0-foo", "foo"])
            .with { $0.regex = "foo"; $0.variant = "foo"; $0.preReleases = true },
    ]

    @Test(arguments: upstreamTable + ownTable)
    func reportsVersions(_ row: Row) throws {
        let registry = try SharedCheckRegistry.shared.get()
        let repository = "table/" + row.name.lowercased()
            .split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.joined(separator: "-")
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository, tags: row.tags, created: row.created)
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(
            tagOrder: .init(tags: row.listing ?? row.tags.keys.sorted(), pageSize: 2)))

        var source = SourceJSON(repository: "\(proxy.url)/\(repository)")
        source.tagRegex = row.regex
        source.createdAtSort = row.createdAtSort ? true : nil
        source.variant = row.variant
        source.semverConstraint = row.constraint
        source.preReleases = row.preReleases ? true : nil
        source.preReleasePrefixes = row.preReleasePrefixes.isEmpty ? nil : row.preReleasePrefixes
        let cursor = row.cursor.map { VersionJSON(tag: $0.tag, digest: fixture.digest($0.label)) }
        let request = try CheckRequest(json: Array(try requestJSON(source: source, version: cursor)))

        let versions = try CheckCommand.run(request)

        let expected = row.versions.map { CheckVersion(tag: $0, digest: fixture.digest(row.tags[$0] ?? "?")) }
        #expect(versions == expected)
        let pages = try proxy.stats().count("GET", pathContaining: "/tags/list")
        #expect(pages == max(1, (row.tags.count + 1) / 2), "every page of the listing is read")
    }
}
