import Glibc

/// One tar header as libarchive decoded it. The name pointers belong to
/// libarchive and stay valid only until the next header is read, which keeps
/// the per-entry path free of allocations.
struct TarEntry {
    enum Kind {
        case regular, directory, symlink, hardlink, fifo, characterDevice, blockDevice, other
    }

    var kind: Kind
    /// Entry name as raw bytes (tar names need not be UTF-8).
    var path: UnsafePointer<CChar>
    /// Symlink target, or hardlink target path.
    var linkTarget: UnsafePointer<CChar>?
    /// Permission bits including setuid, setgid and sticky.
    var mode: mode_t
    var uid: uid_t
    var gid: gid_t
    var atime, mtime: timespec
    var size: Int64
    var xattrCount: Int
    /// Holes listed in the header (GNU or PAX sparse): data blocks skip them.
    var isSparse = false

    /// The name for messages (lossy where it is not UTF-8).
    var displayPath: String { String(decoding: UnsafeRawBufferPointer(start: path, count: strlen(path)), as: UTF8.self) }
}
