import OCIModel

/// The end of an observer chain whose bytes went elsewhere.
final class DiscardingConsumer: BlobConsumer {
    func consume(_ chunk: UnsafeRawBufferPointer) throws {}
    func finish() throws {}
}
