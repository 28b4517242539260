
/// Which listed tags count as versions in semver mode, as upstream decides:
/// the bare tag (`latest`, or the variant name) is special; with a variant
/// only `…-<variant>` tags count (suffix removed before parsing); the rest
/// must parse as a semantic version, satisfy the constraint, and be final
/// unless pre-releases are enabled and the pre-release starts with
/// alpha/beta/rc or a configured prefix.
struct SemverTagFilter {
    enum Kind {
        case bare
        /// `dots` counts the dots of the tag without its variant: upstream's
        /// measure of how specific a tag is (3.2.1 over 3.2).
        case version(SemanticVersion, dots: Int)
    }

    static let defaultPreReleasePrefixes = ["alpha", "beta", "rc"]

    let bareTag: String
    let variant: String?
    let constraint: VersionConstraint?
    let preReleases: Bool
    let extraPrefixes: [String]

    init(source: CheckSource) throws {
        variant = source.effectiveVariant
        bareTag = variant ?? "latest"
        if let text = source.effectiveConstraint {
            do {
                constraint = try VersionConstraint(parsing: text)
            } catch {
                throw CheckError.invalidConstraint(error)
            }
        } else {
            constraint = nil
        }
        preReleases = source.preReleases
        extraPrefixes = source.preReleasePrefixes
    }

    func classify(_ tag: String) -> Kind? {
        if tag == bareTag { return .bare }
        var text = tag
        if let variant {
            let suffix = "-" + variant
            guard tag.hasSuffix(suffix) else { return nil }
            text = String(tag.dropLast(suffix.count))
        }
        guard let version = try? SemanticVersion(parsing: text) else { return nil }
        if let constraint, !constraint.isSatisfied(by: version) { return nil }
        if version.isPreRelease && !admitsPreRelease(version.preRelease) { return nil }
        return .version(version, dots: text.utf8.count(where: { $0 == UInt8(ascii: ".") }))
    }

    private func admitsPreRelease(_ preRelease: String) -> Bool {
        guard preReleases else { return false }
        // A further "-" means another variant (1.2.3-rc.1-alpine) unless the user
        // configured prefixes, which upstream takes as opting out of that rule.
        if extraPrefixes.isEmpty && preRelease.contains("-") { return false }
        return (Self.defaultPreReleasePrefixes + extraPrefixes).contains { preRelease.hasPrefix($0) }
    }
}
