
/// The `source` settings that decide how `check` discovers versions.
public struct CheckSource: Sendable, Equatable {
    /// Track one tag's digest.
    public var tag: String?
    /// Track every tag matching this (unanchored, RE2-style) pattern.
    public var tagRegex: String?
    /// With `tagRegex`, order by image `created` time, oldest first.
    public var createdAtSort: Bool
    /// Only `X.Y.Z-<variant>` tags; the bare tag becomes the variant name.
    public var variant: String?
    /// Masterminds/semver constraint on version tags.
    public var semverConstraint: String?
    /// Include pre-release tags (alpha/beta/rc and `preReleasePrefixes`).
    public var preReleases: Bool
    /// Extra pre-release prefixes accepted besides alpha, beta and rc.
    public var preReleasePrefixes: [String]

    public init(tag: String? = nil, tagRegex: String? = nil, createdAtSort: Bool = false,
                variant: String? = nil, semverConstraint: String? = nil,
                preReleases: Bool = false, preReleasePrefixes: [String] = []) {
        self.tag = tag
        self.tagRegex = tagRegex
        self.createdAtSort = createdAtSort
        self.variant = variant
        self.semverConstraint = semverConstraint
        self.preReleases = preReleases
        self.preReleasePrefixes = preReleasePrefixes
    }

    /// Upstream treats empty strings as unset.
    var effectiveTag: String? { tag.flatMap { $0.isEmpty ? nil : $0 } }
    var effectiveRegex: String? { tagRegex.flatMap { $0.isEmpty ? nil : $0 } }
    var effectiveVariant: String? { variant.flatMap { $0.isEmpty ? nil : $0 } }
    var effectiveConstraint: String? { semverConstraint.flatMap { $0.isEmpty ? nil : $0 } }
}
