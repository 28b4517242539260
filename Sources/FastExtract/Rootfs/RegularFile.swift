import Glibc

/// The system calls that make a regular file, shared by the inline writer and
/// the `WriterPool` threads.
enum RegularFile {
    static let createFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC

    /// Creates `name` in `parent`, never through a symlink; EEXIST when taken.
    static func create(_ name: UnsafePointer<CChar>, in parent: Int32, mode: mode_t) throws(Errno) -> Int32 {
        let fd = openat(parent, name, createFlags, mode & 0o777)
        guard fd >= 0 else { throw Errno.current("create the file") }
        return fd
    }

    static func writeAll(_ fd: Int32, _ data: UnsafeRawBufferPointer) throws(Errno) {
        guard var next = data.baseAddress else { return }
        var left = data.count
        while left > 0 {
            let written = write(fd, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw Errno.current("write the file")
            }
            next += written
            left -= written
        }
    }

    static func setMode(_ fd: Int32, _ mode: mode_t) throws(Errno) {
        guard fchmod(fd, mode) == 0 else { throw Errno.current("set the file mode") }
    }

    static func setTimes(_ fd: Int32, atime: timespec, mtime: timespec) throws(Errno) {
        var times = (atime, mtime)
        let timed = withUnsafePointer(to: &times) { $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(fd, $0) } }
        guard timed == 0 else { throw Errno.current("set the file times") }
    }
}
