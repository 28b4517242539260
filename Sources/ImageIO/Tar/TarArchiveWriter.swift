import CArchive
import OCIModel
import FoundationEssentials

/// A pax tarball written member by member with libarchive; each member's
/// size is declared up front so its bytes stream straight through. Sole owner
/// of the libarchive write handle.
final class TarArchiveWriter {
    private let archive: OpaquePointer
    private let file: StagedFile
    private var closed = false

    /// Writes into `file`, which the caller commits after `close`.
    init(file: StagedFile) throws(ImageError) {
        self.file = file
        guard let archive = archive_write_new() else { throw .io("cannot allocate a libarchive writer") }
        self.archive = archive
        guard archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK,
              archive_write_set_bytes_in_last_block(archive, 1) == ARCHIVE_OK,
              archive_write_open_fd(archive, file.fileDescriptor) == ARCHIVE_OK
        else {
            // self is fully initialised here: deinit frees the archive.
            let message = TarArchiveWriter.message(archive)
            throw .io("cannot start tarball \(file.finalPath): \(message)")
        }
    }

    deinit { archive_write_free(archive) }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// Starts a regular file member of `size` bytes; follow with `write` calls totalling `size`.
    func beginMember(_ name: String, size: Int64) throws(ImageError) {
        guard let entry = archive_entry_new() else { throw .io("cannot allocate a tar entry") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, name)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, 0o100000)  // AE_IFREG (a macro Swift cannot import)
        archive_entry_set_perm(entry, 0o644)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw .io("cannot write tar header for \(name): \(TarArchiveWriter.message(archive))")
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ImageError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let written = archive_write_data(archive, base, bytes.count)
        guard written == bytes.count else {
            throw .io("cannot write to \(file.finalPath): \(TarArchiveWriter.message(archive))")
        }
    }

    /// Gives the tarball up: nothing more is written, not even its end
    /// (the caller then discards the file).
    func abandon() {
        guard !closed else { return }
        closed = true
        archive_write_fail(archive)
    }

    func close() throws(ImageError) {
        guard !closed else { return }
        closed = true
        guard archive_write_close(archive) == ARCHIVE_OK else {
            throw .io("cannot finish tarball \(file.finalPath): \(TarArchiveWriter.message(archive))")
        }
    }
}

/// Feeds a blob's bytes into the current tar member.
final class TarMemberConsumer: BlobConsumer {
    private let writer: TarArchiveWriter
    init(writer: TarArchiveWriter) { self.writer = writer }
    func consume(_ chunk: UnsafeRawBufferPointer) throws { try writer.write(chunk) }
    func finish() throws {}
}
