/// Hashes a stream and keeps nothing.
public final class HashingConsumer: BlobConsumer {
    public let hasher: SHA256Hasher
    public init(hasher: SHA256Hasher) { self.hasher = hasher }
    public func consume(_ chunk: UnsafeRawBufferPointer) throws { hasher.update(chunk) }
    public func finish() throws {}
}
