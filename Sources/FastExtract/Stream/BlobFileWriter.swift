import Foundation

/// Stores a blob at `finalPath`: writes through a temporary file in the same
/// directory, verifies digest and size, and renames into place only when they
/// match. On any failure, or if dropped before `finish`, the temporary file is
/// removed and `finalPath` is left untouched.
public final class BlobFileWriter: BlobConsumer {
    public let finalPath: String
    private let sink: FileSink
    private let verifier: DigestVerifier

    /// - Parameter syncToDisk: fsync the file before renaming (durability across power loss).
    public init(finalPath: String, expected: Digest, size: Int64?, syncToDisk: Bool = false) throws {
        self.finalPath = finalPath
        sink = try FileSink(finalPath: finalPath, syncToDisk: syncToDisk)
        verifier = DigestVerifier(expected: expected, size: size, next: sink)
    }

    deinit { sink.discard() }

    public var bytesSeen: Int64 { verifier.bytesSeen }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        do { try verifier.consume(chunk) } catch {
            sink.discard()
            throw error
        }
    }

    public func finish() throws {
        do { try verifier.finish() } catch {
            sink.discard()
            throw error
        }
    }
}

/// The file half of `BlobFileWriter`; sees `finish` only for a verified blob.
private final class FileSink: BlobConsumer {
    let finalPath: String
    let temporaryPath: String
    let syncToDisk: Bool
    private var descriptor: Int32
    private var done = false

    init(finalPath: String, syncToDisk: Bool) throws {
        self.finalPath = finalPath
        self.syncToDisk = syncToDisk
        let directory = (finalPath as NSString).deletingLastPathComponent
        let name = (finalPath as NSString).lastPathComponent
        let prefix = directory.isEmpty ? "" : directory + "/"
        var path = ""
        var descriptor: Int32 = -1
        // O_EXCL with a random name: never reuse or follow an existing file.
        for _ in 0..<8 {
            path = prefix + ".\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).partial"
            descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw BlobIOError("create", path: path, errno: errno) }
        temporaryPath = path
        self.descriptor = descriptor
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard var next = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            let written = write(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw BlobIOError("write", path: temporaryPath, errno: errno)
            }
            next += written
            remaining -= written
        }
    }

    func finish() throws {
        if syncToDisk, fsync(descriptor) != 0 { throw BlobIOError("fsync", path: temporaryPath, errno: errno) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw BlobIOError("close", path: temporaryPath, errno: errno) }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw BlobIOError("rename into place", path: finalPath, errno: errno)
        }
        done = true
    }

    /// Removes the temporary file unless the blob was already renamed into place. Idempotent.
    func discard() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }
}
