import Glibc

/// An open parent directory, with the times it had when it was opened.
struct CachedDirectory {
    let fd: Int32
    let atime, mtime: timespec
    /// New children inherit the group (and subdirectories the bit): ownership
    /// and mode then need explicit setting even when they look like defaults.
    let isSetgid: Bool
    /// Created by the current layer (by its own entry, or as a missing parent):
    /// all that is below it is this layer's, so its children need not be
    /// remembered one by one.
    let createdByLayer: Bool
    /// Which directory this is, whatever path (or symlink) reached it.
    let device, inode: UInt64
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

    /// `createdByLayer` is asked once, when the directory is opened (the
    /// cache is emptied whenever a directory is removed, so it cannot change),
    /// with the lengths of the prefixes of `path` just created as missing
    /// parents (see `PathResolver.created`). `willResolve` runs before a path
    /// is resolved (not for a cached one).
    ///
    /// With `stepping`, a path whose parent is cached is first tried as one
    /// component in that parent: opened (or made when missing) with
    /// O_NOFOLLOW, which is what resolving it from the rootfs would give;
    /// a symlink or anything but a directory falls back to resolution.
    /// `step` is told the parent and the name before.
    mutating func directory(
        _ path: ArraySlice<UInt8>, create: Bool,
        stepping: Bool = false, step: (CachedDirectory, ArraySlice<UInt8>) -> Void = { _, _ in },
        willResolve: () -> Void = {},
        createdByLayer: ([UInt8], _ made: [Int]) -> Bool = { _, _ in false }
    ) throws(Errno) -> CachedDirectory {
        if let last, lastKey.count == path.count,
           lastKey.withUnsafeBytes({ a in path.withUnsafeBytes { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }) {
            return last
        }
        let key = Array(path)
        let found: CachedDirectory
        if let hit = entries[key] {
            found = hit
        } else {
            var fd: Int32 = -1
            var made: [Int] = []
            if stepping && !key.isEmpty {
                let slash = key.lastIndex(of: UInt8(ascii: "/"))
                if let parent = entries[slash.map { Array(key[0..<$0]) } ?? []] {
                    let name = key[(slash.map { $0 + 1 } ?? 0)...]
                    step(parent, name)
                    var isNew = false
                    fd = Self.openChild(name, in: parent.fd, create: create, isNew: &isNew)
                    if isNew { made = [key.count] }
                }
            }
            if fd < 0 {
                willResolve()
                fd = try resolver.openDirectory(path, create: create)
                made = resolver.created
            }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let failure = Errno.current("inspect a parent directory")
                close(fd)
                throw failure
            }
            found = CachedDirectory(fd: fd, atime: info.st_atim, mtime: info.st_mtim,
                                    isSetgid: info.st_mode & 0o2000 != 0, createdByLayer: createdByLayer(key, made),
                                    device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            entries[key] = found
        }
        lastKey = key
        last = found
        return found
    }

    /// The directory `name` in `parent`, made (0755, as the resolver's walk
    /// does) when missing and `create`; -1 when not a directory.
    private static func openChild(_ name: ArraySlice<UInt8>, in parent: Int32, create: Bool, isNew: inout Bool) -> Int32 {
        var bytes = Array(name)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buffer in
            let name = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
            var fd = openat(parent, name, flags)
            if fd < 0 && errno == ENOENT && create && mkdirat(parent, name, 0o755) == 0 {
                isNew = true
                fd = openat(parent, name, flags)
            }
            return fd
        }
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
