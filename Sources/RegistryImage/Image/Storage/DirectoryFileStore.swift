import FastExtract
import Foundation

/// Files under a directory, streamed in 1 MiB reads.
final class DirectoryFileStore: ImageFileStore {
    let directory: URL
    static let chunkSize = 1 << 20

    init(directory: URL) { self.directory = directory }

    var location: String { directory.path }

    private func fullPath(_ path: String) -> String { directory.appendingPathComponent(path).path }

    func contains(_ path: String) -> Bool { size(of: path) != nil }

    func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(fullPath(path), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    func stream(_ path: String, into consumer: BlobConsumer) throws {
        let file = try FileDescriptor(opening: fullPath(path), flags: O_RDONLY)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            try consumer.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        try consumer.finish()
    }
}
