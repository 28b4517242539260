import Foundation

/// Writes small result files so that a reader never sees half of one: the
/// bytes go to a hidden temporary name in the same directory, then are renamed.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        StagingName.removeStale(besides: path)
        let temporary = StagingName.path(for: path)
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

struct FileWriteError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot write \(path): \(reason)" }
}
