import Foundation

/// Results are renamed into place; an existing destination is only ever
/// replaced when it is an empty directory, so a mistyped path (`extract img /`)
/// can never delete anything.
enum DestinationGuard {
    static func clear(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
        guard isDirectory, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else {
            throw FileWriteError(path: path, reason: "it already exists and is not empty (a result only replaces an empty directory)")
        }
        guard rmdir(path) == 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
    }
}
