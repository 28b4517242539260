
/// A Masterminds/semver v3 constraint such as `~1.2.x`, `>= 1.2 < 3.0.0 || >= 4.2.3`,
/// `^2`, `1.x`, `*`, `>=1.0.0-0` or `1.2 - 1.4.5`.
///
/// `||` separates alternatives; inside one, terms are ANDed and separated by
/// whitespace or a comma. A version with a pre-release only satisfies an
/// alternative in which some term names a pre-release (hence `-0`).
public struct VersionConstraint: Sendable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    let alternatives: [ConstraintGroup]

    public init(parsing text: String) throws(VersionConstraintError) {
        self.text = text
        self.alternatives = try ConstraintParser.parse(text)
    }

    public func isSatisfied(by version: SemanticVersion) -> Bool {
        alternatives.contains { $0.isSatisfied(by: version) }
    }

    public var description: String { text }
}

/// Terms that must all hold; pre-releases are admitted only when one of them names one.
struct ConstraintGroup: Sendable {
    let terms: [ConstraintTerm]

    var admitsPreReleases: Bool { terms.contains { $0.bound.isPreRelease } }

    func isSatisfied(by version: SemanticVersion) -> Bool {
        if version.isPreRelease && !admitsPreReleases { return false }
        return terms.allSatisfy { $0.isSatisfied(by: version) }
    }
}
