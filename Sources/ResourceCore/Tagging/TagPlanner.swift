import OCIModel

/// Plans the tags a `put` pushes, in upstream's order (`commands/out.go`):
/// `source.tag`; the version tag; with `bump_aliases` and a final version the
/// aliases `latest` (or the variant name), `MAJOR`, `MAJOR.MINOR` (each
/// `-<variant>` when set) where this version is the newest of that line among
/// the registry's final tags of the same variant; then the additional tags.
/// Repeats are dropped (first kept), so the first tag is the response tag.
public struct TagPlanner: Sendable {
    public let request: OutTagRequest

    public init(request: OutTagRequest) {
        self.request = request
    }

    private var variant: String? { request.variant.flatMap { $0.isEmpty ? nil : $0 } }

    /// The normalised version from `params.version`, if any.
    public func version() throws(TagPlanError) -> SemanticVersion? {
        guard let text = request.version, !text.isEmpty else { return nil }
        do {
            return try SemanticVersion(parsing: text)
        } catch {
            throw .invalidVersion(text)
        }
    }

    /// - Parameter existingTags: the repository's tags (empty for a repository
    ///   that does not exist yet); called only when aliases are bumped for a final version.
    public func tags(existingTags: () throws -> [String]) throws -> [String] {
        var planned: [String] = []
        if let tag = request.sourceTag, !tag.isEmpty { planned.append(tag) }
        if let version = try version() {
            planned.append(tagName(version.description))
            if request.bumpAliases && !version.isPreRelease {
                planned += aliases(for: version, existing: try existingTags())
            }
        }
        let prefix = request.tagPrefix ?? ""
        planned += (request.additionalTags ?? "").split(whereSeparator: \.isWhitespace).map { prefix + $0 }

        guard !planned.isEmpty else { throw TagPlanError.noTag }
        var seen: Set<String> = []
        let unique = planned.filter { seen.insert($0).inserted }
        if let invalid = unique.first(where: { !ImageReference.isValidTag($0) }) {
            throw TagPlanError.invalidTag(invalid)
        }
        return unique
    }

    private func tagName(_ base: String) -> String {
        variant.map { base + "-" + $0 } ?? base
    }

    private func aliases(for version: SemanticVersion, existing: [String]) -> [String] {
        var bumpLatest = true, bumpMajor = true, bumpMinor = true
        for tag in existing {
            var text = tag
            if let variant {
                // Never compare across variants.
                guard tag.hasSuffix("-" + variant) else { continue }
                text = String(tag.dropLast(variant.count + 1))
            }
            guard let other = try? SemanticVersion(parsing: text), !other.isPreRelease else { continue }
            if other > version { bumpLatest = false }
            if other.major == version.major && other.minor > version.minor { bumpMajor = false }
            if other.major == version.major && other.minor == version.minor && other.patch > version.patch {
                bumpMinor = false
                bumpMajor = false
            }
        }
        var aliases: [String] = []
        if bumpLatest { aliases.append(variant ?? "latest") }
        if bumpMajor { aliases.append(tagName("\(version.major)")) }
        if bumpMinor { aliases.append(tagName("\(version.major).\(version.minor)")) }
        return aliases
    }
}
