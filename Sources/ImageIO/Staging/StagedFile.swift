import FoundationEssentials
import Glibc

/// The one "partial file, then rename" writer: bytes go to a hidden sibling
/// created with O_EXCL (never following or reusing an existing file) that is
/// removed on failure, on `discard`, on deinit and on SIGTERM; `commit`
/// renames it into place, so a reader sees the whole file or none.
public final class StagedFile {
    public let finalPath: String
    public let temporaryPath: String
    private var descriptor: Int32
    private var done = false

    public init(finalPath: String) throws(ImageError) {
        self.finalPath = finalPath
        temporaryPath = StagingName.sibling(of: finalPath, unique: true)
        StagingName.removeStale(besides: finalPath)
        // Registered before it exists: a SIGTERM right after creation still removes it.
        StagingCleanup.shared.register(temporaryPath)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            StagingCleanup.shared.unregister(temporaryPath)
            throw ImageError.cannotWrite(finalPath, errno: code)
        }
    }

    deinit { discard() }

    /// The open partial file, for writers that take a descriptor (libarchive).
    public var fileDescriptor: Int32 { descriptor }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(ImageError) {
        guard var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ImageError.cannotWrite(finalPath, errno: errno)
            }
            next += written
            remaining -= written
        }
    }

    public func write(_ data: Data) throws(ImageError) {
        var failure: ImageError?
        data.withUnsafeBytes { bytes in
            do throws(ImageError) { try write(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Closes the file (so a full disk shows here, not later) and renames it into place.
    public func commit() throws(ImageError) {
        guard !done else { return }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let code = errno
            discard()
            throw ImageError.cannotWrite(finalPath, errno: code)
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let code = errno
            discard()
            throw ImageError.cannotWrite(finalPath, errno: code)
        }
        done = true
        StagingCleanup.shared.unregister(temporaryPath)
    }

    /// Removes the partial file unless it was committed. Idempotent.
    public func discard() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        StagingCleanup.shared.unregister(temporaryPath)
    }

    /// Writes a small result file (metadata.json, a version file) whole.
    public static func write(_ data: Data, to path: String) throws(ImageError) {
        let file = try StagedFile(finalPath: path)
        try file.write(data)
        try file.commit()
    }
}
