import Foundation
import ImageIO
import OCIModel
import RegistryClient
import ResourceCore

/// Resolves `params.image`: a glob under the put's source directory that
/// must match exactly one path, as upstream (`filepath.Glob`).
enum ImagePathGlob {
    static func resolve(_ pattern: String, under directory: String) throws(PushCommandError) -> String {
        let full = (directory as NSString).appendingPathComponent(pattern)
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
        case 0: throw .glob(pattern: pattern, reason: "no files match")
        default: throw .glob(pattern: pattern, reason: "too many files match: \(matches.joined(separator: ", "))")
        }
    }
}

/// Why `out` cannot start.
public enum PushCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    case glob(pattern: String, reason: String)
    case additionalTags(path: String, reason: String)

    public var description: String {
        switch self {
        case .glob(let pattern, let reason): "params.image '\(pattern)': \(reason)"
        case .additionalTags(let path, let reason): "params.additional_tags '\(path)': \(reason)"
        }
    }
}
