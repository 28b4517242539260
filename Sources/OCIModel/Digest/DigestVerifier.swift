import FoundationEssentials

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
        try Self.verify(hasher.finalize(), matches: expected)
        try next.finish()
    }
}

extension DigestVerifier {
    /// Checks a small document held in memory (a manifest, a config,
    /// index.json) against the descriptor that names it, before anything
    /// trusts its content.
    public static func verify(_ data: Data, against descriptor: Descriptor) throws(BlobVerificationError) {
        guard Int64(data.count) == descriptor.size else {
            throw .sizeMismatch(digest: descriptor.digest, expected: descriptor.size, actual: Int64(data.count))
        }
        try verify(SHA256Hasher.digest(of: data), matches: descriptor.digest)
    }

    /// The one digest comparison: `actual` must be `expected`.
    public static func verify(_ actual: Digest, matches expected: Digest) throws(BlobVerificationError) {
        guard actual == expected else { throw .digestMismatch(expected: expected, actual: actual) }
    }
}
