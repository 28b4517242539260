import Glibc

/// A `ByteSource` over a file descriptor: a layer blob on disk (extract mode)
/// or a tar written by a test.
public final class FileByteSource: ByteSource {
    public struct OpenError: Error, CustomStringConvertible {
        public let path: String
        public let code: Int32
        public var description: String { "cannot open \(path): \(String(cString: strerror(code)))" }
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "read failed: \(String(cString: strerror(code)))" }
    }

    private let fd: Int32
    private let ownsDescriptor: Bool

    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(path: path, code: errno) }
        self.fd = fd
        ownsDescriptor = true
    }

    /// Reads from `fileDescriptor`; closes it on deinit only when `closeWhenDone`.
    public init(fileDescriptor: Int32, closeWhenDone: Bool = false) {
        fd = fileDescriptor
        ownsDescriptor = closeWhenDone
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw ReadError(code: errno) }
        }
    }
}
