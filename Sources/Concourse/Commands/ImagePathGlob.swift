import FoundationEssentials
import Glibc
import OCIModel

/// Resolves `params.image`: a glob under the put's source directory that
/// must match exactly one path, as upstream (`filepath.Glob`).
enum ImagePathGlob {
    static func resolve(_ pattern: String, under directory: String) throws(PushCommandError) -> String {
        let full = TextFile.path(pattern, under: directory)
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(full, 0, nil, &result)
        var matches: [String] = []
        if status == 0 {
            for index in 0..<Int(result.gl_pathc) {
                if let path = result.gl_pathv[index] { matches.append(String(cString: path)) }
            }
        } else if status != GLOB_NOMATCH {
            throw .glob(pattern: pattern, reason: "the pattern cannot be read (glob error \(status))")
        }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw .noMatch(pattern: pattern)
        default: throw .tooManyMatches(pattern: pattern, matches: matches)
        }
    }
}

/// Why `out` cannot start.
public enum PushCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    case glob(pattern: String, reason: String)
    /// Worded as upstream (users search for these texts), our detail after.
    case noMatch(pattern: String)
    case tooManyMatches(pattern: String, matches: [String])
    case additionalTags(path: String, reason: String)

    public var description: String {
        switch self {
        case .glob(let pattern, let reason): "params.image '\(pattern)': \(reason)"
        case .noMatch(let pattern):
            "no files match glob '\(pattern)' (params.image, relative to the put's directory)"
        case let .tooManyMatches(pattern, matches):
            "too many files/directories match glob '\(pattern)': [\(matches.joined(separator: " "))] (params.image must match exactly one)"
        case .additionalTags(let path, let reason): "params.additional_tags '\(path)': \(reason)"
        }
    }
}
