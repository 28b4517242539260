import FoundationEssentials

/// `source.tag_regex` mode: every listed tag the pattern matches anywhere in
/// (unanchored) and whose manifest exists, in the registry's order — or, with
/// `created_at_sort`, by image `created` time, oldest first (ties keep
/// registry order). As upstream, the cursor is ignored and tags sharing a
/// digest are all reported.
struct TagRegexCheck {
    let pattern: String
    let createdAtSort: Bool
    private let matcher: TagPattern

    init(pattern: String, createdAtSort: Bool) throws {
        self.pattern = pattern
        self.createdAtSort = createdAtSort
        self.matcher = try TagPattern(pattern)
    }

    func versions(registry: any CheckRegistry) throws -> [ResourceVersion] {
        let matching = try registry.listTags().filter(matcher.matches)
        let digests = try registry.checkedDigests(for: matching)
        var found = zip(matching, digests).compactMap { tag, digest in
            digest.map { ResourceVersion(tag: tag, digest: $0) }
        }
        if createdAtSort && !found.isEmpty {
            let times = try registry.createdTimes(for: found.compactMap(\.tag))
            guard times.count == found.count else {
                throw CheckError.registryAnswerCount(expected: found.count, got: times.count)
            }
            // A missing `created` is Go's zero time, before every real time.
            let keyed = zip(found, times).enumerated().map { ($0.offset, $0.element.0, $0.element.1 ?? .distantPast) }
            found = keyed.sorted { ($0.2, $0.0) < ($1.2, $1.0) }.map(\.1)
        }
        return found
    }
}

/// A compiled `tag_regex`. Swift `Regex` accepts the RE2 syntax Go uses
/// (classes, `\d`, `(?i)`, `(?P<name>…)`, anchors) and matches unanchored.
public struct TagPattern {
    private let regex: Regex<AnyRegexOutput>

    public init(_ pattern: String) throws {
        do {
            regex = try Regex(pattern)
        } catch {
            throw CheckError.invalidTagRegex(pattern: pattern, reason: String(describing: error))
        }
    }

    public func matches(_ tag: String) -> Bool {
        (try? regex.firstMatch(in: tag)) != nil
    }
}
