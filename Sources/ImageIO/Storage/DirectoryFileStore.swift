import FastExtract
import FoundationEssentials
import Glibc
import OCIModel

/// Files under a directory, streamed in 1 MiB reads.
public final class DirectoryFileStore: ImageFileStore {
    let directory: URL

    public init(directory: URL) { self.directory = directory }

    var location: String { directory.path }

    private func fullPath(_ path: String) -> String { directory.appendingPathComponent(path).path }

    func contains(_ path: String) -> Bool { size(of: path) != nil }

    func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(fullPath(path), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    public func stream(_ path: String, into consumer: BlobConsumer) throws {
        try FileBlobReader.stream(path: fullPath(path), into: consumer)
    }

    func open(_ path: String) throws -> ByteSource? {
        guard contains(path) else { return nil }
        return try FileDescriptor(opening: fullPath(path))
    }
}
