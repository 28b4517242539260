import FoundationEssentials
import OCIModel

/// SHA-256 of the compressed blobs on a thread of its own, so that the thread
/// receiving and inflating a layer does not also hash it: inflate is the
/// longest stage on a fast filesystem, and the three stages then share the
/// cores instead of two of them sharing one.
///
/// The producer copies each compressed chunk into a small ring (`update`),
/// ends each blob with `finalize()`, which waits for that blob's hash; a
/// `DigestVerifier` compares it. One thread serves every blob of an image,
/// in order.
final class HashingThread: BlobHasher, @unchecked Sendable {  // the ring and mailbox lock themselves; producer-side state is the producer's
    private let channel: ChunkChannel
    private let results = DigestMailbox()
    private let completion = ThreadOutcome<Void>()
    private var joined = false
    /// Blobs ended by the producer so far (producer-only).
    private var ended = 0

    /// 512 KiB in all: SHA-256 runs at several times the rate compressed
    /// bytes arrive, so a deeper ring would only hold more resident memory
    /// (the decoding thread's ring of compressed bytes beside it costs as much).
    init(slots: Int = 4, slotSize: Int = 128 << 10) {
        let channel = ChunkChannel(slots: slots, slotSize: slotSize)
        self.channel = channel
        let results = results
        let completion = completion
        PosixThread.start(name: "layer-hashing") {
            do {
                let hasher = SHA256Hasher()
                while try channel.nextSegment() {
                    while true {
                        let block = try channel.borrow()
                        if block.isEmpty { break }
                        hasher.update(block)
                    }
                    results.post(hasher.finalize())
                }
            } catch {
                channel.fail(error)
                results.fail(error)
            }
            completion.signal()
        }
    }

    deinit { stop(LayerPipelineError.abandoned) }

    /// Copies `chunk` for hashing; blocks only while the ring is full.
    func update(_ chunk: UnsafeRawBufferPointer) throws { try channel.consume(chunk) }

    /// Ends the current blob and returns its digest once hashed.
    func finalize() throws -> Digest {
        try channel.endSegment()
        ended += 1
        return try results.wait(for: ended - 1)
    }

    /// After the last blob: lets the thread end and joins it.
    func finish() {
        guard !joined else { return }
        try? channel.finish()
        completion.wait()
        joined = true
    }

    /// Wakes and joins the thread; safe to call more than once.
    func stop(_ error: Error) {
        guard !joined else { return }
        channel.fail(error)
        results.fail(error)
        completion.wait()
        joined = true
    }
}

/// Digests in blob order, handed from the hashing thread to the producer.
private final class DigestMailbox: @unchecked Sendable {  // every field is guarded by `condition`
    private let condition = PosixCondition()
    private var digests: [Digest] = []
    private var failure: Error?

    func post(_ digest: Digest) {
        condition.lock()
        digests.append(digest)
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    func wait(for index: Int) throws -> Digest {
        condition.lock()
        defer { condition.unlock() }
        while digests.count <= index, failure == nil { condition.wait() }
        if digests.count > index { return digests[index] }
        throw failure ?? LayerPipelineError.abandoned
    }
}
