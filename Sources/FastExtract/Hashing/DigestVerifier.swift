/// Hashes and counts the bytes passing through to `next`. `finish()` checks the
/// size and digest against the expected ones before forwarding `finish()`, so
/// the downstream never sees a clean end for a blob that failed verification.
public final class DigestVerifier: BlobConsumer {
    public let expected: Digest
    public let expectedSize: Int64?
    public private(set) var bytesSeen: Int64 = 0
    private let hasher = SHA256Hasher()
    private let next: BlobConsumer

    public init(expected: Digest, size: Int64?, next: BlobConsumer) {
        self.expected = expected
        self.expectedSize = size
        self.next = next
    }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        bytesSeen += Int64(chunk.count)
        // Fail early: a server sending more than declared would otherwise be read to the end.
        if let expectedSize, bytesSeen > expectedSize {
            throw BlobVerificationError.tooLarge(digest: expected, expected: expectedSize)
        }
        hasher.update(chunk)
        try next.consume(chunk)
    }

    public func finish() throws {
        if let expectedSize, bytesSeen != expectedSize {
            throw BlobVerificationError.sizeMismatch(digest: expected, expected: expectedSize, actual: bytesSeen)
        }
        let actual = hasher.finalize()
        guard actual == expected else {
            throw BlobVerificationError.digestMismatch(expected: expected, actual: actual)
        }
        try next.finish()
    }
}
