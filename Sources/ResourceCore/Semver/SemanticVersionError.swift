
/// Why a string is not a semantic version.
public enum SemanticVersionError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case tooLong(String)
    case malformed(String)
    case numberTooLarge(String)
    case leadingZeroInPreRelease(String)

    public var description: String {
        switch self {
        case .empty: "empty version string"
        case .tooLong(let text): "version '\(text.prefix(40))…' is longer than \(SemanticVersion.maximumLength) bytes"
        case .malformed(let text): "'\(text)' is not a semantic version"
        case .numberTooLarge(let text): "a number in version '\(text)' does not fit in 64 bits"
        case .leadingZeroInPreRelease(let text): "numeric pre-release identifier with a leading zero in version '\(text)'"
        }
    }
}
