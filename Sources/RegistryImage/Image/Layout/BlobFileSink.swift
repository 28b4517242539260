import FastExtract
import Foundation

/// Writes a blob to a temporary file beside its final path and renames it into
/// place on `finish()`; an unfinished sink removes its temporary file, so a
/// failed or unverified transfer never leaves a blob that looks complete.
/// Wrap it in `VerifyingBlobConsumer` (done by `OCILayoutWriter.blobWriter`).
/// Swappable for the streaming pipeline's `BlobFileWriter` once that exists.
final class BlobFileSink: BlobConsumer {
    private let finalPath: String
    private let temporaryPath: String
    private var file: FileDescriptor?

    init(finalPath: String) throws(ImageError) {
        self.finalPath = finalPath
        temporaryPath = finalPath + ".partial-\(UInt32.random(in: 0...UInt32.max))"
        file = try FileDescriptor(opening: temporaryPath, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    }

    deinit {
        if file != nil { unlink(temporaryPath) }
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard let file else { throw ImageError.io("\(finalPath) written after it was finished") }
        try file.writeAll(chunk)
    }

    func finish() throws {
        guard file != nil else { return }
        file = nil
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw ImageError.io("cannot rename \(temporaryPath) to \(finalPath): \(reason)")
        }
    }
}
