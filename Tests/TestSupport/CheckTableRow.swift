/// One row of the check tables: a repository's tags, the check `source`
/// settings, an optional cursor, and the versions check must report.
///
/// Plain strings only, so the same rows drive both the in-memory planner tests
/// (digest labels are the digests) and the real-registry tests (one pushed
/// image per digest label).
public struct CheckTableRow: Sendable, CustomStringConvertible {
    public let name: String
    /// tag → digest label; one distinct image per label.
    public let tags: [String: String]
    /// The registry's listing order (default: sorted, as CNCF distribution lists tags).
    public var listing: [String]?
    public var preReleases = false
    public var preReleasePrefixes: [String] = []
    public var variant: String?
    public var regex: String?
    public var createdAtSort = false
    /// tag → image `created` (ISO 8601); a tag not in `tags` is never looked up.
    public var created: [String: String] = [:]
    public var constraint: String?
    /// Cursor (tag, digest label); a label not in `tags` is a vanished digest.
    public var cursor: (tag: String, label: String)?
    /// Expected tags, in order; digests are those of their labels.
    public let versions: [String]

    public var description: String { name }

    public init(_ name: String, tags: [String: String], versions: [String]) {
        self.name = name
        self.tags = tags
        self.versions = versions
    }

    public func with(_ change: (inout CheckTableRow) -> Void) -> CheckTableRow {
        var copy = self
        change(&copy)
        return copy
    }

    /// `created` per digest label, for registries where the time belongs to the
    /// image: times of tags not in `tags` are dropped, and the tags of one
    /// label must agree.
    public var createdByLabel: [String: String] {
        var byLabel: [String: String] = [:]
        for (tag, time) in created {
            guard let label = tags[tag] else { continue }
            precondition(byLabel[label, default: time] == time, "row '\(name)': tags of \(label) disagree on created")
            byLabel[label] = time
        }
        return byLabel
    }
}

/// A suite that runs the shared check tables (`UpstreamCheckTable`,
/// `OwnCheckTable`) and rows of its own through its planner.
public protocol CheckTableSuite {
    typealias Row = CheckTableRow
    /// Rows only this suite runs.
    static var localTable: [CheckTableRow] { get }
}

extension CheckTableSuite {
    /// The shared rows, then this suite's own.
    public static var allRows: [CheckTableRow] { UpstreamCheckTable.rows + OwnCheckTable.rows + localTable }
}
