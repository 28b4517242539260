#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sole owner of an open file descriptor; closes it on deinit.
final class FileDescriptor {
    let raw: Int32
    let path: String

    init(opening path: String, flags: Int32, mode: mode_t = 0o644) throws(ImageError) {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
        raw = fd
        self.path = path
    }

    deinit { close(raw) }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ImageError) -> Int {
        while true {
            let n = Glibc.read(raw, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .io("cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }
}
