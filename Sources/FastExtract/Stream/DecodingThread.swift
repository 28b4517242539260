import FoundationEssentials
import OCIModel

/// Inflates (or zstd-decodes) each layer's compressed bytes on a thread of
/// its own, into the pipeline's read-ahead ring, so that the thread receiving
/// a blob (libcurl's, which also hashes it) does not also decode it:
/// decoding is serial within a layer and the longest stage of a layer of
/// large files.
///
/// The receiving side copies compressed chunks into a small ring (`input`,
/// one segment per blob), ends each blob's segment only once its digest
/// matched, and then waits for that segment's outcome (`waitForSegment`), so
/// that a decoding error is reported for the layer it happened in, before the
/// next layer's first byte is taken. The decoded segment ends only when the
/// compressed one did: the extraction never sees the clean end of a blob that
/// was not verified.
///
/// Failures: the thread's own error is recorded in both rings (the decoded
/// one first: it holds the pipeline's first failure); a failure of the
/// extraction reaches it through its next write into the decoded ring.
final class DecodingThread: @unchecked Sendable {  // the rings and the outcome list lock themselves; `ended` is the producer's
    /// The compressed bytes, written by the receiving thread.
    let input: ChunkChannel
    private let outcomes = SegmentOutcomes()
    /// The thread's CPU time, recorded at its end; waiting for it joins the
    /// thread (again and again: once recorded, `wait` returns at once).
    private let completion = ThreadOutcome<Int64>()
    /// Segments ended by the producer so far (producer-only).
    private var ended = 0

    init(output: ChunkChannel) {
        // 1 MiB of compressed bytes (a few milliseconds of inflate): enough to
        // absorb the receive's bursts; the decoded ring holds the read-ahead.
        let input = ChunkChannel(slots: 4, slotSize: 256 << 10)
        self.input = input
        let outcomes = outcomes
        let completion = completion
        PosixThread.start(name: "layer-decoding") {
            do {
                while try input.nextSegment() {
                    let decoder = DecompressingConsumer(writingInto: SegmentWriter(channel: output))
                    while true {
                        let block = try input.borrow()
                        if block.isEmpty { break }
                        try decoder.consume(block)
                    }
                    try decoder.finish()
                    outcomes.post(decoder.detected)
                }
                try output.finish()
            } catch {
                output.fail(error)
                input.fail(error)
                outcomes.fail(error)
            }
            completion.record(.success(WaitClock.threadCPU()))
        }
    }

    deinit { stop(LayerPipelineError.abandoned) }

    /// Ends the current blob's compressed bytes and waits until they are
    /// decoded; returns the compression detected, or throws the decoding's
    /// (or the pipeline's) first failure.
    func endSegment() throws -> Compression? {
        try input.endSegment()
        ended += 1
        return try outcomes.wait(for: ended - 1)
    }

    /// After the last blob: lets the thread finish the decoded ring, and joins it.
    func finish() throws {
        defer { completion.wait() }
        try input.finish()
    }

    /// Wakes and joins the thread; safe to call more than once.
    func stop(_ error: Error) {
        input.fail(error)
        outcomes.fail(error)
        completion.wait()
    }

    /// The thread's CPU time (waits for its end).
    var cpu: Int64 { (try? completion.wait().get()) ?? 0 }
}

/// The decoded side of one layer: bytes into the ring (the decoder writes
/// straight into its free slot), `finish` ends the segment.
private final class SegmentWriter: DirectlyWritableConsumer {
    let channel: ChunkChannel
    init(channel: ChunkChannel) { self.channel = channel }
    func consume(_ chunk: UnsafeRawBufferPointer) throws { try channel.consume(chunk) }
    func finish() throws { try channel.endSegment() }
    func space() throws -> UnsafeMutableRawBufferPointer { try channel.writableSpace() }
    func wrote(_ count: Int) throws { try channel.commitWritten(count) }
}

/// Each decoded segment's outcome, in order, handed from the decoding thread
/// to the receiving one.
private final class SegmentOutcomes: @unchecked Sendable {  // every field is guarded by `condition`
    private let condition = PosixCondition()
    private var detected: [Compression?] = []
    private var failure: Error?

    func post(_ compression: Compression?) {
        condition.lock()
        detected.append(compression)
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    func wait(for index: Int) throws -> Compression? {
        condition.lock()
        defer { condition.unlock() }
        while detected.count <= index, failure == nil { condition.wait() }
        if detected.count > index { return detected[index] }
        throw failure ?? LayerPipelineError.abandoned
    }
}
