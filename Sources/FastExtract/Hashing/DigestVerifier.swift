/// Hashes and counts the bytes passing through to `next`. `finish()` checks the
/// size and digest against the expected ones before forwarding `finish()`, so
/// the downstream never sees a clean end for a blob that failed verification.
public final class DigestVerifier: BlobConsumer {
    public let expected: Digest
    public let expectedSize: Int64?
    public private(set) var bytesSeen: Int64 = 0
    private let hashing: Hashing
    private let next: BlobConsumer

    /// Where the SHA-256 work runs: on the caller's thread, or on a thread of
    /// its own when the caller's thread has other heavy work (inflating).
    private enum Hashing {
        case inline(SHA256Hasher)
        case background(BackgroundHasher)
    }

    public init(expected: Digest, size: Int64?, next: BlobConsumer, hashInBackground: Bool = false) {
        self.expected = expected
        self.expectedSize = size
        self.next = next
        hashing = hashInBackground ? .background(BackgroundHasher()) : .inline(SHA256Hasher())
    }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        bytesSeen += Int64(chunk.count)
        // Fail early: a server sending more than declared would otherwise be read to the end.
        if let expectedSize, bytesSeen > expectedSize {
            throw BlobVerificationError.tooLarge(digest: expected, expected: expectedSize)
        }
        switch hashing {
        case .inline(let hasher): hasher.update(chunk)
        case .background(let hasher): try hasher.update(chunk)
        }
        try next.consume(chunk)
    }

    public func finish() throws {
        if let expectedSize, bytesSeen != expectedSize {
            throw BlobVerificationError.sizeMismatch(digest: expected, expected: expectedSize, actual: bytesSeen)
        }
        let actual: Digest
        switch hashing {
        case .inline(let hasher): actual = hasher.finalize()
        case .background(let hasher): actual = try hasher.finalize()
        }
        guard actual == expected else {
            throw BlobVerificationError.digestMismatch(expected: expected, actual: actual)
        }
        try next.finish()
    }
}
