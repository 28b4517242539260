
/// Decides which versions `check` reports, given the source settings, the
/// cursor version and a registry to ask. Pure apart from the registry calls.
///
/// Modes, as upstream (`commands/check.go`): `tag` set → that tag's digest;
/// else `tag_regex` set → matching tags; else semver tags.
public struct CheckPlanner: Sendable {
    public let source: CheckSource

    public init(source: CheckSource) {
        self.source = source
    }

    public func versions(cursor: ResourceVersion?, registry: any CheckRegistry) throws -> [ResourceVersion] {
        if let tag = source.effectiveTag {
            return try SingleTagCheck(tag: tag).versions(cursor: cursor, registry: registry)
        }
        if let pattern = source.effectiveRegex {
            let check = try TagRegexCheck(pattern: pattern, createdAtSort: source.createdAtSort)
            return try check.versions(registry: registry)
        }
        return try SemverTagCheck(source: source).versions(cursor: cursor, registry: registry)
    }
}

extension CheckRegistry {
    /// `digests(for:)` with its answer count checked.
    func checkedDigests(for tags: [String]) throws -> [String?] {
        if tags.isEmpty { return [] }
        let answers = try digests(for: tags)
        guard answers.count == tags.count else {
            throw CheckError.registryAnswerCount(expected: tags.count, got: answers.count)
        }
        return answers
    }
}
