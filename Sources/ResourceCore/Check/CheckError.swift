
/// Configuration errors found while planning `check`.
public enum CheckError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidConstraint(VersionConstraintError)
    case invalidTagRegex(pattern: String, reason: String)
    case registryAnswerCount(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidConstraint(let error): error.description
        case .invalidTagRegex(let pattern, let reason): "invalid tag_regex '\(pattern)': \(reason)"
        case .registryAnswerCount(let expected, let got):
            "registry lookup returned \(got) answers for \(expected) requests"
        }
    }
}
