import FoundationEssentials
import Glibc
import OCIModel

/// Builds a directory result (a rootfs, an OCI layout) under a hidden name
/// beside its destination and renames it into place only when the build
/// succeeded, so nothing at the destination ever looks complete before it is.
/// The staging directory is removed on `discard`, on deinit and on SIGTERM;
/// one left by a killed run is removed by the next (`StagingName`).
///
/// An existing destination is only ever replaced when it is an empty
/// directory, so a mistyped path (`extract img /`) can never delete anything.
public final class StagedDirectory {
    public let finalPath: String
    /// Where the result is built.
    public let path: String
    private var done = false

    public init(at finalPath: String) throws {
        self.finalPath = URL(fileURLWithPath: finalPath).path
        path = StagingName.sibling(of: self.finalPath, unique: false)
        try Self.checkReplaceable(self.finalPath)
        StagingName.removeStale(besides: self.finalPath)
        // Registered before it exists: a SIGTERM right after creation still removes it.
        StagingCleanup.shared.register(path)
        TreeRemoval.remove(path)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            StagingCleanup.shared.unregister(path)
            throw ImageError.cannotWrite(finalPath, reason: FileErrorText.reason(error))
        }
    }

    deinit { discard() }

    public var url: URL { URL(fileURLWithPath: path) }

    /// Renames the built directory into place.
    public func commit() throws {
        guard !done else { return }
        do {
            try Self.checkReplaceable(finalPath)
            if FileManager.default.fileExists(atPath: finalPath), rmdir(finalPath) != 0 {
                throw ImageError.cannotWrite(finalPath, errno: errno)
            }
            guard rename(path, finalPath) == 0 else { throw ImageError.cannotWrite(finalPath, errno: errno) }
        } catch {
            discard()
            throw error
        }
        done = true
        StagingCleanup.shared.unregister(path)
    }

    /// Removes the staging directory unless committed. Idempotent.
    public func discard() {
        guard !done else { return }
        done = true
        TreeRemoval.remove(path)
        StagingCleanup.shared.unregister(path)
    }

    /// Builds in a staging directory and commits, or discards on failure.
    public static func build(at path: String, _ body: (URL) throws -> Void) throws {
        let staged = try StagedDirectory(at: path)
        do {
            try body(staged.url)
            try staged.commit()
        } catch {
            staged.discard()
            throw error
        }
    }

    private static func checkReplaceable(_ path: String) throws(ImageError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
        guard isDirectory, (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else {
            throw ImageError.cannotWrite(path, reason: "it already exists and is not empty (a result only replaces an empty directory)")
        }
    }
}
