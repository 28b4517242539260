import Glibc
import OCIModel

/// Sole owner of an open file descriptor, and the one read loop over one
/// (retrying EINTR); closes it on deinit.
public final class FileDescriptor: ByteSource {
    public let raw: Int32
    public let path: String

    public init(opening path: String, flags: Int32 = O_RDONLY, mode: mode_t = 0o644) throws(BlobIOError) {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw BlobIOError("open", path: path, errno: errno) }
        raw = fd
        self.path = path
    }

    deinit { close(raw) }

    /// Reads up to `buffer.count` bytes; 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(BlobIOError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(raw, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw BlobIOError("read", path: path, errno: errno) }
        }
    }
}
