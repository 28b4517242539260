import OCIModel

/// Counts the bytes passing through.
final class ByteCounter: BlobConsumer {
    private(set) var count: Int64 = 0
    private let next: BlobConsumer
    init(next: BlobConsumer) { self.next = next }
    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        count += Int64(chunk.count)
        try next.consume(chunk)
    }
    func finish() throws { try next.finish() }
}
