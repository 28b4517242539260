@testable import Concourse
import Foundation
@testable import ResourceCore
import TestSupport
import Testing

/// Upstream's check_test.go "tracking semver tags" table (plus our own rows),
/// each row pushed as real images into its own repository of a real registry
/// and checked through `CheckCommand.run`. A fault proxy in front serves the
/// tag listing in a fixed order (sorted, as upstream's fake registry lists,
/// unless a row says otherwise) and paginates it two tags a page, so every row
/// also walks `Link` pagination to the end.
@Suite("Check against a real registry: semver and regex table")
struct CheckTableTests: CheckTableSuite {
    /// Rows only this suite runs (beyond `UpstreamCheckTable` and `OwnCheckTable`).
    static let localTable: [Row] = [
        Row("v-prefixed tags count as versions",
            tags: ["v1.0.0": "d1", "v1.1": "d2", "v2": "d3", "vnext": "d4"], versions: ["v1.0.0", "v1.1", "v2"]),
        Row("Masterminds constraint with || and ~",
            tags: ["1.1.0": "d1", "1.2.0": "d2", "1.2.9": "d3", "1.3.0": "d4", "3.0.1": "d5"],
            versions: ["1.2.0", "1.2.9", "3.0.1"])
            .with { $0.constraint = "~1.2 || >= 3" },
        Row("cursor at the newest version returns it, and latest when unique",
            tags: ["1.0.0": "d1", "2.0.0": "d2", "latest": "d3"], versions: ["2.0.0", "latest"])
            .with { $0.cursor = ("2.0.0", "d2") },
        Row("regex keeps the registry's own order, whatever it is",
            tags: ["67e3c33-dev": "d1", "1.0.0": "d2", "3bd8a5e-dev": "d3", "0aaaaaa-dev": "d4"],
            versions: ["67e3c33-dev", "3bd8a5e-dev", "0aaaaaa-dev"])
            .with { $0.regex = "-dev$"; $0.listing = ["67e3c33-dev", "1.0.0", "3bd8a5e-dev", "0aaaaaa-dev"] },
        Row("created_at_sort orders by config created time, oldest first",
            tags: ["b-1": "d1", "b-2": "d2", "b-3": "d3", "b-4": "d4", "other": "d5"],
            versions: ["b-4", "b-3", "b-1", "b-2"])
            .with {
                $0.regex = "^b-"
                $0.createdAtSort = true
                $0.created = ["b-1": "2021-03-01T00:00:00Z", "b-2": "2022-01-01T00:00:00Z",
                              "b-3": "2020-06-01T12:00:00Z", "b-4": "2019-01-01T00:00:00Z"]
            },
        Row("tag_regex overrides semver settings",
            tags: ["1.0.0": "d1", "1.0.0-foo": "d2", "foo": "d3"], versions: ["1.0.0-foo", "foo"])
            .with { $0.regex = "foo"; $0.variant = "foo"; $0.preReleases = true },
    ]

    @Test(arguments: allRows)
    func reportsVersions(_ row: Row) throws {
        let registry = try TestRegistry.shared()
        let repository = "table/" + row.name.lowercased()
            .split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.joined(separator: "-")
        let fixture = try CheckRepositoryFixture(
            registry: registry, repository: repository, tags: row.tags, created: row.createdByLabel)
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

        let expected = row.versions.map { ResourceVersion(tag: $0, digest: fixture.digest(row.tags[$0] ?? "?")) }
        #expect(versions == expected)
        let pages = try proxy.stats().count("GET", pathContaining: "/tags/list")
        #expect(pages == max(1, (row.tags.count + 1) / 2), "every page of the listing is read")
    }
}
