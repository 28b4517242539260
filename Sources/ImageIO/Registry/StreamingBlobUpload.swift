import FastExtract
import FoundationEssentials
import OCIModel
import RegistryClient

/// The receiving end of one blob upload, sent as one streamed request per
/// part: `PATCH`es of `chunkLimit` bytes when the push asks for chunks, then
/// the closing `PUT ?digest=` carrying the rest (so a blob without chunks is
/// one `PUT`). Two ways in:
/// - pulled (`pull`, a file on disk): libcurl reads the request bodies
///   straight from the source on this thread; memory is libcurl's buffer.
/// - pushed (`consume`, e.g. from another registry): the bytes go into a
///   small `ChunkChannel` and a sender thread's libcurl drains it; memory is
///   the channel (512 KiB), whatever the blob's or a chunk's size.
///
/// A blob whose digest is only known at its end (a layer compressed on the
/// way) is hashed here, streamed in one `PATCH` of unknown length and closed
/// by an empty `PUT` once `finish` knows the digest.
///
/// Whoever pushes bytes in must end it: `finish()` after the last byte, or
/// `abandon(_:)` on failure, which stops the sender.
final class StreamingBlobUpload: BlobConsumer {
    private let client: RegistryClient
    private let plan: UploadPlan
    private let expected: Digest?
    private let hasher: SHA256Hasher?
    /// The channel and its sender thread, started by the first pushed byte.
    private var pipe: (channel: ChunkChannel, sender: ThreadOutcome<BlobUploadSession>)?
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
        plan = UploadPlan(client: client, session: session, length: expected == nil ? nil : length,
                          chunkLimit: chunkLimit.map { Int64(max($0, session.minimumChunk, 1)) }, digest: expected)
    }

    deinit {
        if !ended { pipe?.channel.fail(WorkCancelled()) }
    }

    /// Sends the blob read from `source`, on this thread. `source` yields
    /// exactly the blob's (verified) bytes.
    func pull(from source: ByteSource) throws {
        guard expected != nil, pipe == nil else {
            // Nothing to gain without a known digest: push the bytes through.
            try FileBlobReader.stream(source, into: self, chunkSize: 256 << 10)
            return
        }
        ended = true
        _ = try plan.run(reading: source)
        size = plan.length ?? 0
        digest = expected
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        hasher?.update(chunk)
        size += Int64(chunk.count)
        try startedPipe().channel.consume(chunk)
    }

    func finish() throws {
        // With `expected`, a `DigestVerifier` in front reaches this `finish`
        // only for matching bytes (the transfer always puts one there); the
        // registry checks the digest of what it received again at the PUT.
        let pipe = startedPipe()
        ended = true
        try pipe.channel.finish()
        let session = try pipe.sender.wait().get()
        guard expected == nil, let hasher else {
            digest = expected
            return
        }
        let actual = hasher.finalize()
        try client.completeUpload(session, digest: actual)
        digest = actual
    }

    /// Stops the sender after a failure on the feeding side and waits for it.
    func abandon(_ error: any Error) {
        guard !ended else { return }
        ended = true
        guard let pipe else { return }
        pipe.channel.fail(error)
        pipe.sender.wait()
    }

    private func startedPipe() -> (channel: ChunkChannel, sender: ThreadOutcome<BlobUploadSession>) {
        if let pipe { return pipe }
        let started = (channel: ChunkChannel(slots: 4, slotSize: 128 << 10), sender: ThreadOutcome<BlobUploadSession>())
        // Handed to the sender thread once: the channel locks itself and the plan is immutable.
        let job = SendableBox((plan: plan, channel: started.channel))
        let sender = started.sender
        PosixThread.start(name: "blob-upload") {
            sender.record(Result {
                do {
                    return try job.value.plan.run(reading: job.value.channel)
                } catch {
                    job.value.channel.fail(error)  // wakes the feeding side, which then throws it
                    throw error
                }
            })
        }
        pipe = started
        return started
    }
}

/// The requests of one upload, in order, reading their bodies from a stream.
private struct UploadPlan {
    let client: RegistryClient
    let session: BlobUploadSession
    let length: Int64?
    let chunkLimit: Int64?
    let digest: Digest?

    func run(reading stream: ByteSource) throws -> BlobUploadSession {
        var session = session
        guard let length, let digest else {
            // Unknown length: everything in one PATCH; `finish` closes it.
            try client.uploadChunk(&session, from: stream, length: nil)
            return session
        }
        if let chunkLimit {
            while length - session.offset > chunkLimit {
                try client.uploadChunk(&session, from: stream, length: chunkLimit)
            }
        }
        try client.completeUpload(session, digest: digest, from: stream, finalLength: length - session.offset)
        return session
    }
}
