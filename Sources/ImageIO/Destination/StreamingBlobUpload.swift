import FastExtract
import Foundation
import OCIModel
import RegistryClient

/// The receiving end of one blob upload. The source's bytes go into a small
/// `ChunkChannel`; a sender thread pulls them out as libcurl drains the
/// socket, in one streamed request per part: `PATCH`es of `chunkLimit` bytes
/// when the push asks for chunks, then the closing `PUT ?digest=` carrying
/// the rest (so a blob without chunks is one `PUT`). Memory is the channel
/// (1 MiB), whatever the blob's or a chunk's size.
///
/// A blob whose digest is only known at its end (a layer compressed on the
/// way) is hashed here, streamed in one `PATCH` of unknown length and closed
/// by an empty `PUT` once `finish` knows the digest.
///
/// Whoever feeds it must end it: `finish()` after the last byte, or
/// `abandon(_:)` on failure, which stops the sender.
final class StreamingBlobUpload: BlobConsumer {
    private let client: RegistryClient
    private let expected: Digest?
    private let hasher: SHA256Hasher?
    private let channel = ChunkChannel(slots: 4, slotSize: 256 << 10)
    private let sender = SenderOutcome()
    private var ended = false
    private(set) var size: Int64 = 0
    /// The digest sent with the final PUT, once finished.
    private(set) var digest: Digest?

    /// - Parameters:
    ///   - length: the blob's size, when known (it is whenever `expected` is).
    ///   - chunkLimit: at most this many bytes per request (nil: no limit);
    ///     raised to the registry's `OCI-Chunk-Min-Length`.
    ///   - expected: the digest the bytes must have (nil when it is only
    ///     known at the end, as for a layer compressed on the way).
    init(client: RegistryClient, session: BlobUploadSession, length: Int64?, chunkLimit: Int?, expected: Digest?) {
        self.client = client
        self.expected = expected
        hasher = expected == nil ? SHA256Hasher() : nil
        let limit = chunkLimit.map { Int64(max($0, session.minimumChunk, 1)) }
        let plan = SenderPlan(client: client, session: session, channel: channel, length: expected == nil ? nil : length,
                              chunkLimit: limit, digest: expected)
        let sender = sender
        let thread = Thread { sender.record { try plan.run() } }
        thread.name = "blob-upload"
        thread.start()
    }

    deinit {
        if !ended { channel.fail(WorkCancelled()) }
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        hasher?.update(chunk)
        size += Int64(chunk.count)
        try channel.consume(chunk)
    }

    func finish() throws {
        // With `expected`, a `DigestVerifier` in front reaches this `finish`
        // only for matching bytes (the transfer always puts one there); the
        // registry checks the digest of what it received again at the PUT.
        ended = true
        try channel.finish()
        try sender.wait()
        guard expected == nil, let hasher else {
            digest = expected
            return
        }
        let actual = hasher.finalize()
        try client.completeUpload(try sender.session(), digest: actual)
        digest = actual
    }

    /// Stops the sender after a failure on the feeding side and waits for it.
    func abandon(_ error: any Error) {
        guard !ended else { return }
        ended = true
        channel.fail(error)
        _ = try? sender.wait()
    }
}

/// What the sender thread does: the requests of one upload, in order.
/// `@unchecked`: built on the feeding thread, then used only by the sender.
private struct SenderPlan: @unchecked Sendable {
    let client: RegistryClient
    var session: BlobUploadSession
    let channel: ChunkChannel
    let length: Int64?
    let chunkLimit: Int64?
    let digest: Digest?

    func run() throws -> BlobUploadSession {
        var session = session
        do {
            guard let length, let digest else {
                // Unknown length: everything in one PATCH; `finish` closes it.
                try client.uploadChunk(&session, from: channel, length: nil)
                return session
            }
            if let chunkLimit {
                while length - session.offset > chunkLimit {
                    try client.uploadChunk(&session, from: channel, length: chunkLimit)
                }
            }
            try client.completeUpload(session, digest: digest, from: channel, finalLength: length - session.offset)
            return session
        } catch {
            channel.fail(error)  // wakes the feeding side, which then throws it
            throw error
        }
    }
}

/// The sender thread's result, waited for by the feeding thread.
/// `@unchecked`: every field is guarded by `condition`.
private final class SenderOutcome: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<BlobUploadSession, any Error>?

    func record(_ body: () throws -> BlobUploadSession) {
        let outcome = Result { try body() }
        condition.lock()
        result = outcome
        condition.broadcast()
        condition.unlock()
    }

    func wait() throws {
        _ = try session()
    }

    func session() throws -> BlobUploadSession {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return try result.get() }
            condition.wait()
        }
    }
}
