import FastExtract
import OCIModel

/// A tar written by a test, read as the extraction side reads a layer (a test
/// double: production reads files through `FileDescriptor` and `FileBlobReader`).
final class FixtureFileSource: ByteSource {
    private let file: FileDescriptor

    init(path: String) throws {
        file = try FileDescriptor(opening: path)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try file.read(into: buffer)
    }
}
