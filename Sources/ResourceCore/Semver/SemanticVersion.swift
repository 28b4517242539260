
/// A semantic version as Masterminds/semver v3 `NewVersion` reads it, which is
/// what the Go resource uses for tags: `1`, `1.2`, `1.2.3`, an optional
/// lowercase `v`, a pre-release after `-` and build metadata after `+`.
/// Missing minor/patch parts are zero. Leading zeros in the numeric core are
/// accepted (`01.2` is 1.2.0), but not in numeric pre-release identifiers.
///
/// Equality and ordering are SemVer precedence: build metadata is ignored, so
/// `1.2` == `1.2.0` == `1.2.0+build`; `original` keeps the text as written.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    /// Dot-separated pre-release identifiers without the leading `-`; empty for a final version.
    public let preRelease: String
    /// Build metadata without the leading `+`; empty when absent.
    public let metadata: String
    /// The text this version was parsed from.
    public let original: String

    /// Longer strings are refused before parsing (Masterminds' `MaxVersionLen`).
    public static let maximumLength = 256

    public init(major: UInt64, minor: UInt64, patch: UInt64, preRelease: String = "", metadata: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.metadata = metadata
        var text = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { text += "-" + preRelease }
        if !metadata.isEmpty { text += "+" + metadata }
        self.original = text
    }

    public init(parsing text: String) throws(SemanticVersionError) {
        self = try SemanticVersionParser.parse(text)
    }

    init(major: UInt64, minor: UInt64, patch: UInt64, preRelease: String, metadata: String, original: String) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.metadata = metadata
        self.original = original
    }

    public var isPreRelease: Bool { !preRelease.isEmpty }

    /// Normalised form, `MAJOR.MINOR.PATCH[-pre][+meta]`, without any `v`.
    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { text += "-" + preRelease }
        if !metadata.isEmpty { text += "+" + metadata }
        return text
    }

    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        lhs.precedence(comparedTo: rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major)
        hasher.combine(minor)
        hasher.combine(patch)
        hasher.combine(preRelease)
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        lhs.precedence(comparedTo: rhs) < 0
    }
}
