import FoundationEssentials
import Glibc

/// Reads a small file whole with POSIX calls, failing with the system's
/// reason (what `String(contentsOfFile:)` did, with a plain error message).
public enum TextFile {
    public static func read(_ path: String) throws(TextFileError) -> String {
        String(decoding: try bytes(path), as: UTF8.self)
    }

    public static func bytes(_ path: String) throws(TextFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TextFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let (bytes, failure) = readToEnd(descriptor)
        if let failure { throw TextFileError(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }

    /// Everything `descriptor` reads until its end, retrying on EINTR; on a
    /// read error, what came before it and the `errno`.
    static func readToEnd(_ descriptor: Int32) -> (bytes: [UInt8], failure: Int32?) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[0..<count]
            } else if count == 0 {
                return (bytes, nil)
            } else if errno != EINTR {
                return (bytes, errno)
            }
        }
    }

    /// `component` under `directory` (as `NSString.appendingPathComponent`):
    /// one slash between them, the directory's trailing slashes dropped.
    public static func path(_ component: String, under directory: String) -> String {
        guard !directory.isEmpty else { return component }
        var base = Substring(directory)
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        let rest = component.drop(while: { $0 == "/" })
        if rest.isEmpty { return String(base) }
        return base == "/" ? "/" + rest : base + "/" + rest
    }
}

public struct TextFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// The reason a file operation of FileManager failed, as one short line: the
/// system's words for the underlying error and the path, not the error's dump.
public enum FileErrorText {
    public static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError {
            let path = cocoa.filePath.map { " (\($0))" } ?? ""
            if let posix = cocoa.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) + path }
            return "file operation failed (code \(cocoa.code.rawValue))" + path
        }
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        return "\(error)"
    }
}
