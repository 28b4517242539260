import FoundationEssentials
import OCIModel

/// Producer for blobs already on disk: feeds the file to a consumer in 1 MiB
/// chunks, then calls `finish()`.
public enum FileBlobReader {
    public static let chunkSize = 1 << 20

    public static func stream(path: String, into consumer: BlobConsumer) throws {
        try stream(try FileDescriptor(opening: path), into: consumer)
    }

    /// The one read-and-feed loop: `source` to its end, in chunks of
    /// `chunkSize`, into `consumer`, then `finish()`.
    public static func stream(_ source: ByteSource, into consumer: BlobConsumer, chunkSize: Int = chunkSize) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            try consumer.consume(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        try consumer.finish()
    }
}
