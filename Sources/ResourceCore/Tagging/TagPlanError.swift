
/// Why no valid tag list could be planned for a `put`.
public enum TagPlanError: Error, Equatable, Sendable, CustomStringConvertible {
    case noTag
    case invalidVersion(String)
    case invalidTag(String)

    public var description: String {
        switch self {
        case .noTag: "no tag specified - need either 'version:' in params or 'tag:' in source"
        case .invalidVersion(let text): "invalid semantic version: \"\(text)\""
        case .invalidTag(let tag):
            "invalid tag '\(tag)': tags are 1 to 128 characters of letters, digits, '_', '.' and '-'"
        }
    }
}
