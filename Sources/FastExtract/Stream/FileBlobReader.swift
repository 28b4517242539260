import Foundation
import OCIModel

/// Producer for blobs already on disk: feeds the file to a consumer in 1 MiB
/// chunks, then calls `finish()`.
public enum FileBlobReader {
    public static let chunkSize = 1 << 20

    public static func stream(path: String, into consumer: BlobConsumer) throws {
        let file = try FileDescriptor(opening: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = try file.read(into: buffer)
            if count == 0 { break }
            try consumer.consume(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
        try consumer.finish()
    }
}
