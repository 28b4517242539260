import CArchive
import Glibc
import OCIModel

/// What the libarchive read callback needs. A class so that one stable pointer
/// can be handed to C; `TarReader` owns it and keeps it alive.
private final class TarReadContext {
    let source: ByteSource
    /// Set when the source lends its own buffers: no copy per byte, and no buffer of ours.
    let borrowing: BorrowingByteSource?
    let buffer: UnsafeMutableRawBufferPointer
    /// A Swift error cannot cross the C frames of libarchive: the callback
    /// parks it here and the reader rethrows it.
    var sourceError: Error?

    init(source: ByteSource, chunkSize: Int) {
        self.source = source
        borrowing = source as? BorrowingByteSource
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: borrowing == nil ? chunkSize : 1, alignment: 16)
    }

    deinit { buffer.deallocate() }
}

/// Streams tar entries (ustar, pax, GNU; no decompression filters) out of a
/// `ByteSource` with libarchive.
final class TarReader {
    private let archive: OpaquePointer
    private let context: TarReadContext
    private var current: OpaquePointer?

    init(source: ByteSource, chunkSize: Int = 1 << 20) throws {
        guard let archive = archive_read_new() else {
            throw LayerError.malformedArchive(entry: nil, reason: "cannot allocate a libarchive reader")
        }
        self.archive = archive
        context = TarReadContext(source: source, chunkSize: chunkSize)
        archive_read_support_format_tar(archive)
        archive_read_support_format_empty(archive)
        let client = Unmanaged.passUnretained(context).toOpaque()
        let rc = archive_read_open(archive, client, nil, { archive, client, bufferOut in
            guard let client, let bufferOut else { return -1 }
            let context = Unmanaged<TarReadContext>.fromOpaque(client).takeUnretainedValue()
            do {
                if let borrowing = context.borrowing {
                    // libarchive needs a block only until its next read callback.
                    let block = try borrowing.borrow()
                    bufferOut.pointee = block.baseAddress
                    return la_ssize_t(block.count)
                }
                let count = try context.source.read(into: context.buffer)
                bufferOut.pointee = UnsafeRawPointer(context.buffer.baseAddress)
                return la_ssize_t(count)
            } catch {
                context.sourceError = error
                ri_archive_set_error(archive, EIO, "the blob source failed")
                return -1
            }
        }, nil)
        if rc != ARCHIVE_OK { throw failure(entry: nil) }
    }

    deinit { archive_read_free(archive) }

    /// The next header, or nil at the end marker.
    func next() throws -> TarEntry? {
        var entry: OpaquePointer?
        let rc = archive_read_next_header(archive, &entry)
        if rc == ARCHIVE_EOF { return nil }
        guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN, let entry else { throw failure(entry: nil) }
        current = entry
        guard let path = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry) else {
            throw LayerError.malformedArchive(entry: nil, reason: "an entry has no readable name")
        }
        var kind: TarEntry.Kind
        var linkTarget: UnsafePointer<CChar>? = nil
        if let hardlink = archive_entry_hardlink(entry) ?? archive_entry_hardlink_utf8(entry) {
            kind = .hardlink
            linkTarget = hardlink
        } else {
            switch archive_entry_filetype(entry) & 0o170000 {
            case 0o100000: kind = .regular
            case 0o040000: kind = .directory
            case 0o120000:
                kind = .symlink
                linkTarget = archive_entry_symlink(entry) ?? archive_entry_symlink_utf8(entry)
            case 0o010000: kind = .fifo
            case 0o020000: kind = .characterDevice
            case 0o060000: kind = .blockDevice
            default: kind = .other
            }
        }
        let mtime = timespec(tv_sec: archive_entry_mtime(entry), tv_nsec: archive_entry_mtime_nsec(entry))
        let atime = archive_entry_atime_is_set(entry) != 0
            ? timespec(tv_sec: archive_entry_atime(entry), tv_nsec: archive_entry_atime_nsec(entry))
            : mtime
        return TarEntry(
            kind: kind, path: path, linkTarget: linkTarget,
            mode: archive_entry_perm(entry) & 0o7777,
            uid: uid_t(truncatingIfNeeded: archive_entry_uid(entry)),
            gid: gid_t(truncatingIfNeeded: archive_entry_gid(entry)),
            atime: atime, mtime: mtime, size: archive_entry_size(entry),
            xattrCount: Int(archive_entry_xattr_count(entry)), isSparse: archive_entry_sparse_count(entry) > 0)
    }

    /// Hands the current entry's data to `body` block by block, zero-copy from
    /// libarchive's buffer. `offset` jumps forward over holes of sparse files.
    func forEachDataBlock(
        entry name: UnsafePointer<CChar>, _ body: (UnsafeRawBufferPointer, Int64) throws -> Void
    ) throws {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let rc = archive_read_data_block(archive, &block, &size, &offset)
            if rc == ARCHIVE_EOF { return }
            guard rc == ARCHIVE_OK || rc == ARCHIVE_WARN else { throw failure(entry: name) }
            try body(UnsafeRawBufferPointer(start: block, count: size), offset)
        }
    }

    /// Calls `body` with each PAX extended attribute of the current entry.
    func forEachXattr(_ body: (UnsafePointer<CChar>, UnsafeRawPointer?, Int) throws -> Void) rethrows {
        guard let current else { return }
        archive_entry_xattr_reset(current)
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(current, &name, &value, &size) == ARCHIVE_OK {
            if let name { try body(name, value, size) }
        }
    }

    /// libarchive stops at the end marker; the rest of the blob (padding,
    /// trailing zeros) must still pass through the source so its digest covers it.
    func drainSource() throws {
        if let borrowing = context.borrowing {
            while try borrowing.borrow().count > 0 {}
            return
        }
        while try context.source.read(into: context.buffer) > 0 {}
    }

    /// The error to report for a failed libarchive call: the source's own
    /// error when reading the stream failed, otherwise libarchive's reason.
    private func failure(entry: UnsafePointer<CChar>?) -> any Error {
        if let error = context.sourceError { return error }
        let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unreadable tar stream"
        let name = entry.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
        return LayerError.malformedArchive(entry: name, reason: reason)
    }
}
