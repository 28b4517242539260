
/// Why a `semver_constraint` could not be read.
public enum VersionConstraintError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `part` is the `||` alternative or term that does not parse.
    case improper(constraint: String, part: String)

    public var description: String {
        switch self {
        case .improper(let constraint, let part):
            let trimmed = part.trimmingASCIISpaces()
            return "invalid semver constraint '\(constraint)': cannot read '\(trimmed)'"
        }
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !ASCII.isSpace($0) }),
              let last = bytes.lastIndex(where: { !ASCII.isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
