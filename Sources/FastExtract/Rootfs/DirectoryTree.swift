import Glibc

/// Listing and recursive removal below an open directory, never following symlinks.
enum DirectoryTree {
    struct Child {
        let name: [UInt8]  // NUL-terminated
        let isDirectory: Bool
    }

    /// The children of `fd` (which stays open), without "." and "..".
    static func children(of fd: Int32) throws(Errno) -> [Child] {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw Errno.current("duplicate a directory descriptor") }
        guard let stream = fdopendir(copy) else {
            let failure = Errno.current("list a directory")
            close(copy)
            throw failure
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [Child] = []
        while let entry = readdir(stream) {
            let name: [UInt8] = withUnsafeBytes(of: &entry.pointee.d_name) { raw in
                let length = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                return Array(raw[0..<length]) + [0]
            }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isDirectory = name.withUnsafeBufferPointer {
                    fstatat(fd, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &info,
                            AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & 0o170000 == 0o040000
                }
            }
            result.append(Child(name: name, isDirectory: isDirectory))
        }
        return result
    }

    /// Removes `name` in `parent`, a whole tree when it is a directory.
    static func remove(_ name: UnsafePointer<CChar>, in parent: Int32) throws(Errno) {
        if unlinkat(parent, name, 0) == 0 { return }
        guard errno == EISDIR else { throw Errno.current("remove an existing entry") }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw Errno.current("open a directory to remove") }
        defer { close(fd) }
        for child in try children(of: fd) {
            try child.name.withUnsafeBufferPointer { buffer throws(Errno) in
                try remove(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), in: fd)
            }
        }
        guard unlinkat(parent, name, AT_REMOVEDIR) == 0 else { throw Errno.current("remove a directory") }
    }
}
