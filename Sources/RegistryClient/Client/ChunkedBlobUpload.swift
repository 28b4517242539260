import Foundation
import OCIModel

/// The receiving end of one blob upload: bytes arrive in whatever pieces the
/// source reads, are hashed, gathered into one bounded buffer and sent as
/// `PATCH` chunks; `finish()` sends the rest with the closing `PUT ?digest=`
/// (a blob smaller than a chunk goes out whole in that one request). Memory is
/// one chunk, whatever the blob's size.
public final class ChunkedBlobUpload: BlobConsumer {
    private let client: RegistryClient
    private var session: BlobUploadSession
    private let expected: Digest?
    /// Hashes the bytes only when their digest is not known up front.
    private let hasher: SHA256Hasher?
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private var filled = 0
    public private(set) var size: Int64 = 0
    /// The digest sent with the final PUT, once finished.
    public private(set) var digest: Digest?

    /// - Parameter expected: the digest the bytes must have (nil when it is
    ///   only known at the end, as for a layer compressed on the way).
    public init(client: RegistryClient, session: BlobUploadSession, chunkSize: Int, expected: Digest?) {
        self.client = client
        self.session = session
        self.expected = expected
        hasher = expected == nil ? SHA256Hasher() : nil
        capacity = max(chunkSize, session.minimumChunk, 1)
        base = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit { base.deallocate() }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        hasher?.update(chunk)
        size += Int64(chunk.count)
        guard var source = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            let count = min(capacity - filled, remaining)
            (base + filled).copyMemory(from: source, byteCount: count)
            filled += count
            source += count
            remaining -= count
            if filled == capacity {
                try client.uploadChunk(&session, bytes: UnsafeRawBufferPointer(start: base, count: filled))
                filled = 0
            }
        }
    }

    public func finish() throws {
        // With `expected`, a `DigestVerifier` in front reaches this `finish`
        // only for matching bytes (the transfer always puts one there).
        guard let actual = expected ?? hasher?.finalize() else { return }
        try client.completeUpload(session, digest: actual, finalBytes: UnsafeRawBufferPointer(start: base, count: filled))
        filled = 0
        digest = actual
    }
}
