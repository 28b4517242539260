import Glibc
import OCIModel

/// An open parent directory, with the times it had when it was opened.
struct CachedDirectory {
    let fd: Int32
    let atime: timespec
    let mtime: timespec
    /// New children inherit the group (and subdirectories the bit): ownership
    /// and mode then need explicit setting even when they look like defaults.
    let isSetgid: Bool
}

/// Open parent directories keyed by their clean path, so that most entries
/// need no path resolution at all (tar streams list a directory's files together).
///
/// Entries change their parent's mtime; as umoci does, each parent is put back
/// to the times it had when first opened when it leaves the cache, and the
/// layer's own directory entries set their times afterwards.
struct DirectoryCache {
    static let limit = 256

    var resolver: PathResolver
    private var entries: [[UInt8]: CachedDirectory] = [:]
    private var lastKey: [UInt8] = []
    private var last: CachedDirectory?

    init(resolver: PathResolver) { self.resolver = resolver }

    var count: Int { entries.count }

    mutating func directory(_ path: ArraySlice<UInt8>, create: Bool) throws(Errno) -> CachedDirectory {
        if let last, lastKey.count == path.count,
           lastKey.withUnsafeBytes({ a in path.withUnsafeBytes { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }) {
            return last
        }
        let key = Array(path)
        let found: CachedDirectory
        if let hit = entries[key] {
            found = hit
        } else {
            let fd = try resolver.openDirectory(path, create: create)
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let failure = Errno.current("inspect a parent directory")
                close(fd)
                throw failure
            }
            found = CachedDirectory(fd: fd, atime: info.st_atim, mtime: info.st_mtim,
                                    isSetgid: info.st_mode & 0o2000 != 0)
            entries[key] = found
        }
        lastKey = key
        last = found
        return found
    }

    /// Closes every cached directory, first restoring its times when asked.
    mutating func removeAll(restoringTimes: Bool) {
        for directory in entries.values {
            if restoringTimes {
                var times = (directory.atime, directory.mtime)
                _ = withUnsafePointer(to: &times) {
                    $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(directory.fd, $0) }
                }
            }
            close(directory.fd)
        }
        entries.removeAll(keepingCapacity: true)
        last = nil
        lastKey.removeAll(keepingCapacity: true)
    }
}
