import Glibc

/// Why a layer could not be applied. Each message is one line naming the entry.
public enum LayerError: Error, CustomStringConvertible {
    /// libarchive could not parse the stream (truncated, corrupt header, ...).
    case malformedArchive(entry: String?, reason: String)
    /// A system call failed while writing `entry`.
    case filesystem(entry: String, operation: String, code: Int32)
    /// A hardlink names a target that does not exist in the rootfs.
    case hardlinkTargetMissing(entry: String, target: String)
    /// A path component that must be a directory is something else.
    case notADirectory(entry: String)
    /// More than 40 symlinks were followed while resolving the entry's parent.
    case symlinkLoop(entry: String)
    /// The entry cannot be applied (a non-directory named like the root, ...).
    case invalidEntry(entry: String, reason: String)
    /// The rootfs directory itself cannot be created or opened.
    case rootUnavailable(path: String, code: Int32)

    public var description: String {
        switch self {
        case .malformedArchive(let entry?, let reason): "malformed layer tar at entry '\(entry)': \(reason)"
        case .malformedArchive(nil, let reason): "malformed layer tar: \(reason)"
        case .filesystem(let entry, let operation, let code):
            "cannot \(operation) for layer entry '\(entry)': \(String(cString: strerror(code)))"
        case .hardlinkTargetMissing(let entry, let target):
            "layer entry '\(entry)' is a hardlink to '\(target)', which does not exist in the rootfs"
        case .notADirectory(let entry): "layer entry '\(entry)' has a parent that is not a directory"
        case .symlinkLoop(let entry): "too many levels of symbolic links resolving layer entry '\(entry)'"
        case .invalidEntry(let entry, let reason): "invalid layer entry '\(entry)': \(reason)"
        case .rootUnavailable(let path, let code): "cannot open rootfs \(path): \(String(cString: strerror(code)))"
        }
    }
}
