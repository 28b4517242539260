import CArchive
import FastExtract
import OCIModel
import FoundationEssentials

/// One libarchive read handle over a tarball file, opened at a byte offset.
/// Sole owner of the `archive` and of the file descriptor it reads.
final class TarArchiveReader {
    private let archive: OpaquePointer
    private let file: FileDescriptor
    let path: String

    /// Opens `path` and positions it at `offset` (a member's header, or 0).
    init(path: String, offset: Int64 = 0) throws(ImageError) {
        do {
            file = try FileDescriptor(opening: path)
        } catch {
            throw .io(error.description)
        }
        self.path = path
        guard lseek(file.raw, off_t(offset), SEEK_SET) == off_t(offset) else {
            throw .io("cannot seek in \(path)")
        }
        guard let archive = archive_read_new() else { throw .io("cannot allocate a libarchive reader") }
        self.archive = archive
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        archive_read_support_filter_all(archive)
        // libarchive reads from the descriptor's current position and skips
        // unwanted member data with lseek, so indexing never reads layer bytes.
        guard archive_read_open_fd(archive, file.raw, 1 << 20) == ARCHIVE_OK else {
            // self is fully initialised here: deinit frees the archive.
            let message = failure("cannot open")
            throw .malformedArchive(path, detail: message)
        }
    }

    deinit { archive_read_free(archive) }

    private func failure(_ what: String) -> String {
        if let text = archive_error_string(archive) { return "\(what): \(String(cString: text))" }
        return what
    }

    struct Header {
        var name: String
        var size: Int64
        /// Offset of the entry's first header block (extended headers included).
        var position: Int64
        var isRegular: Bool
        /// Symlink or hardlink target, as stored.
        var symlinkTarget: String?
        var hardlinkTarget: String?
    }

    /// The next entry's header, nil at the end of the archive.
    func nextHeader() throws(ImageError) -> Header? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(archive, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw .malformedArchive(path, detail: failure("cannot read a header"))
        }
        let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        let type = archive_entry_filetype(entry)
        return Header(
            name: EntryPath.cleaned(name),
            size: archive_entry_size(entry),
            position: archive_read_header_position(archive),
            isRegular: type == S_IFREG,
            symlinkTarget: type == S_IFLNK ? archive_entry_symlink(entry).map { String(cString: $0) } : nil,
            hardlinkTarget: archive_entry_hardlink(entry).map { EntryPath.cleaned(String(cString: $0)) })
    }

    /// Whether a filter (gzip, zstd…) sits under the tar stream, which makes
    /// header positions offsets into decompressed bytes, not into the file.
    var isCompressed: Bool { archive_filter_code(archive, 0) != ARCHIVE_FILTER_NONE }

    /// Streams the current entry's data, zero-copy from libarchive's buffers.
    func streamData(into consumer: BlobConsumer) throws {
        var expected: Int64 = 0
        while true {
            var block: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(archive, &block, &size, &offset)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw ImageError.malformedArchive(path, detail: failure("cannot read member data"))
            }
            guard offset == expected else {
                throw ImageError.malformedArchive(path, detail: "sparse members are not supported")
            }
            if size > 0, let block { try consumer.consume(UnsafeRawBufferPointer(start: block, count: size)) }
            expected += Int64(size)
        }
        try consumer.finish()
    }
}
