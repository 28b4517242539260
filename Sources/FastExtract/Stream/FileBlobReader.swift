import Foundation

/// Producer for blobs already on disk: feeds the file to a consumer in 1 MiB
/// chunks, then calls `finish()`.
public enum FileBlobReader {
    public static let chunkSize = 1 << 20

    public static func stream(path: String, into consumer: BlobConsumer) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BlobIOError("open", path: path, errno: errno) }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw BlobIOError("read", path: path, errno: errno)
            }
            if count == 0 { break }
            try consumer.consume(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        try consumer.finish()
    }
}
