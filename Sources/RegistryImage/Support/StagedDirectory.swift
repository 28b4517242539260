import Foundation

/// Builds a directory result (a rootfs, an OCI layout) under a hidden name
/// beside its destination and renames it into place only when the build
/// succeeded, so nothing at the destination ever looks complete before it is.
/// The staging directory is removed on failure and on SIGTERM/SIGINT; one
/// left by a killed run is removed by the next (`StagingName`).
///
/// An existing destination is only ever replaced when it is an empty
/// directory, so a mistyped path (`extract img /`) can never delete anything.
enum StagedDirectory {
    static func build(at path: String, _ body: (URL) throws -> Void) throws {
        let destination = URL(fileURLWithPath: path)
        try clearDestination(destination.path)
        StagingName.removeStale(besides: destination.path)
        let staging = URL(fileURLWithPath: StagingName.path(for: destination.path))
        TreeRemoval.remove(staging.path)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        StagingCleanup.shared.register(staging.path)
        defer { StagingCleanup.shared.unregister(staging.path) }
        do {
            try body(staging)
            try clearDestination(destination.path)
            guard rename(staging.path, destination.path) == 0 else {
                throw FileWriteError(path: destination.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            TreeRemoval.remove(staging.path)
            throw error
        }
    }

    private static func clearDestination(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
        guard isDirectory, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else {
            throw FileWriteError(
                path: path, reason: "it already exists and is not empty (a result only replaces an empty directory)")
        }
        guard rmdir(path) == 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
    }
}
