
/// Semver mode (neither `tag` nor `tag_regex`): one version per digest, named
/// by its most specific tag (final over pre-release, then more dots), oldest
/// first; the bare tag is appended when its digest is not already a version
/// and no constraint is set.
///
/// With a cursor whose tag still has the cursor's digest, version tags at or
/// below the cursor are not looked up at all (upstream's optimisation), and
/// the cursor itself comes back.
struct SemverTagCheck {
    let filter: SemverTagFilter

    init(source: CheckSource) throws {
        filter = try SemverTagFilter(source: source)
    }

    private struct Candidate {
        let tag: String
        let kind: SemverTagFilter.Kind
    }

    private struct Chosen {
        var version: SemanticVersion
        var dots: Int
        var tag: String
        var order: Int
    }

    func versions(cursor: ResourceVersion?, registry: any CheckRegistry) throws -> [ResourceVersion] {
        var tags = try registry.listTags()
        // Assess the cursor's tag first so lower versions can be skipped.
        if let at = cursor?.tag.flatMap({ tags.firstIndex(of: $0) }) {
            tags.insert(tags.remove(at: at), at: 0)
        }
        var candidates = tags.compactMap { tag in filter.classify(tag).map { Candidate(tag: tag, kind: $0) } }

        var digests: [String?] = []
        var cursorVersion: SemanticVersion?
        if let cursor, let first = candidates.first, first.tag == cursor.tag {
            let digest = try registry.checkedDigests(for: [first.tag])[0]
            digests.append(digest)
            if digest == cursor.digest, case .version(let version, _) = first.kind {
                cursorVersion = version
            }
            if let cursorVersion {
                // Skip lesser versions and equal-but-less-specific ones (6.3 vs 6.3.0).
                candidates = [first] + candidates.dropFirst().filter { candidate in
                    guard case .version(let version, _) = candidate.kind else { return true }
                    return version > cursorVersion
                }
            }
        }
        digests += try registry.checkedDigests(for: candidates.dropFirst(digests.count).map(\.tag))

        var chosenByDigest: [String: Chosen] = [:]
        var bareDigest: String?
        for (order, (candidate, digest)) in zip(candidates, digests).enumerated() {
            guard let digest else { continue }
            switch candidate.kind {
            case .bare:
                bareDigest = digest
            case .version(let version, let dots):
                if let existing = chosenByDigest[digest],
                   !prefers(version, dots, over: existing.version, existing.dots) {
                    continue
                }
                chosenByDigest[digest] = Chosen(version: version, dots: dots, tag: candidate.tag, order: order)
            }
        }

        var result = chosenByDigest
            .sorted { ($0.value.version, $0.value.order) < ($1.value.version, $1.value.order) }
            .map { ResourceVersion(tag: $0.value.tag, digest: $0.key) }
        if let bareDigest, chosenByDigest[bareDigest] == nil, filter.constraint == nil {
            result.append(ResourceVersion(tag: filter.bareTag, digest: bareDigest))
        }
        return result
    }

    /// Final beats pre-release; otherwise the tag with more dots wins; ties keep the first seen.
    private func prefers(_ version: SemanticVersion, _ dots: Int, over existing: SemanticVersion, _ existingDots: Int) -> Bool {
        if !existing.isPreRelease && version.isPreRelease { return false }
        if existing.isPreRelease && !version.isPreRelease { return true }
        return dots > existingDots
    }
}
