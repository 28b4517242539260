import Foundation
import OCIModel

/// Applies an image's layers in order on ONE long-lived extraction thread,
/// while the caller's thread receives, hashes and decodes them: layer N+1's
/// bytes flow into the read-ahead ring while layer N's tail is still being
/// written, so neither side waits at a layer boundary (no thread start or join
/// per layer, no end-of-layer hand-shake).
///
/// Chain per layer: [verifier (count and size here, SHA-256 on a
/// `HashingThread`)] → `DecompressingConsumer` → one segment of a shared
/// `ChunkChannel` → `apply`. A segment's end reaches the extraction only after
/// its blob's digest and size were verified (here, or by a `DigestVerifier` in
/// front when the caller verifies), so `apply` never sees a clean end of a bad
/// blob; the caller commits the result only after `finish()` returned.
///
/// Errors: whichever side fails first owns the outcome (as in
/// `LayerExtraction`); `consume`, `finish` and the pipeline's `finish` throw
/// the first failure. An error thrown by `apply` for layer N may surface
/// while the caller is already feeding layer N+1: `apply` gets the layer
/// index so that it can say which layer failed.
///
/// A caller that gives up must call `cancel(_:)` (deinit does too), which
/// unblocks and joins the extraction thread.
public final class LayerPipeline {
    /// The bound on decoded bytes held between the two threads.
    public struct ReadAhead: Sendable, Equatable {
        public var slots: Int
        public var slotSize: Int

        public init(slots: Int, slotSize: Int = 1 << 20) {
            self.slots = max(2, slots)
            self.slotSize = max(4096, slotSize)
        }

        /// 8 MiB, or `RI_READ_AHEAD_MIB` (2 to 256) from the environment. More
        /// did not measurably help on the benchmark images (the writer never
        /// waited long at a layer boundary) and costs RSS one for one.
        public static var standard: ReadAhead {
            let mib = getenv("RI_READ_AHEAD_MIB").flatMap { Int(String(cString: $0)) } ?? 8
            return ReadAhead(slots: min(256, max(2, mib)))
        }

        public var bytes: Int { slots * slotSize }
    }

    private let channel: ChunkChannel
    /// Started with the first layer this pipeline verifies itself.
    private(set) lazy var hashing = HashingThread()
    private var hashingStarted = false
    private let completion = ThreadCompletion()
    private var joined = false
    /// Diagnostics (`RI_PIPELINE_STATS=1`): where each side's time went.
    private let stats: PipelineStats?

    /// Starts the extraction thread at once; it waits for the first layer.
    /// `apply(index, stream)` is called for each layer in order on that thread;
    /// it may stop reading before the stream's end (the rest is skipped).
    public init(
        readAhead: ReadAhead = .standard,
        apply: @escaping @Sendable (_ index: Int, _ stream: ByteSource) throws -> Void
    ) {
        let channel = ChunkChannel(slots: readAhead.slots, slotSize: readAhead.slotSize)
        self.channel = channel
        let stats = getenv("RI_PIPELINE_STATS").map { String(cString: $0) == "1" } == true ? PipelineStats() : nil
        self.stats = stats
        let completion = completion
        let thread = Thread {
            do {
                var index = 0
                while try channel.nextSegment() {
                    try apply(index, channel)
                    try channel.skipSegment()
                    index += 1
                }
            } catch {
                channel.fail(error)
            }
            stats?.extractionCPU = WaitClock.threadCPU()
            completion.signal()
        }
        thread.name = "layer-extraction"
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit {
        cancel(LayerExtractionError.abandoned)
    }

    /// The first failure of either side, if any.
    public var failure: Error? { channel.failure }

    /// The consumer for the next layer's blob. Feed it completely (`finish`
    /// included) before asking for the following layer's.
    /// - Parameter expected: the blob's digest, checked (on the hashing
    ///   thread) before its segment ends; nil when a `DigestVerifier` in
    ///   front of this consumer does it.
    public func layer(expected: Digest?, size: Int64?) throws -> PipelinedLayer {
        if joined { throw channel.failure ?? LayerExtractionError.alreadyFinished }
        if expected != nil { hashingStarted = true }
        return PipelinedLayer(expected: expected, size: size, channel: channel, pipeline: self)
    }

    /// After the last layer's `finish`: waits until every layer is applied and
    /// throws the first failure.
    public func finish() throws {
        if joined { throw channel.failure ?? LayerExtractionError.alreadyFinished }
        do {
            try channel.finish()
        } catch {
            throw stop(error)
        }
        if hashingStarted { hashing.finish() }
        join()
        if let failure = channel.failure { throw failure }
        stats?.report(channel.waitTimes)
    }

    /// Abandons the image: wakes the extraction thread with `error`, joins it,
    /// and returns the first failure (`error` unless the other side failed first).
    @discardableResult
    public func cancel(_ error: Error) -> Error {
        guard !joined else { return channel.failure ?? error }
        return stop(error)
    }

    /// Fails the channel (a no-op when the extraction failed first), joins,
    /// and returns the error that started it all.
    func stop(_ error: Error) -> Error {
        channel.fail(error)
        if hashingStarted { hashing.stop(error) }
        join()
        return channel.failure ?? error
    }

    private func join() {
        guard !joined else { return }
        completion.wait()
        joined = true
    }
}

/// One layer's blob going into a `LayerPipeline`: hashed and counted, decoded,
/// then written into the pipeline's ring as one segment. `finish` verifies the
/// digest and ends the segment without waiting for the extraction.
public final class PipelinedLayer: VerifyingConsumer {
    /// Where bytes enter: the verifier, or the counter when the caller verifies.
    private let entry: BlobConsumer
    private let expected: Digest?
    private let counter: ByteCounter
    private let decoder: DecompressingConsumer
    private let pipeline: LayerPipeline

    /// The compression detected from the blob's first bytes.
    public var detected: Compression? { decoder.detected }
    /// Compressed bytes received so far.
    public var bytesSeen: Int64 { counter.count }

    init(expected: Digest?, size: Int64?, channel: ChunkChannel, pipeline: LayerPipeline) {
        let decoder = DecompressingConsumer(next: SegmentWriter(channel: channel))
        let counter = ByteCounter(next: decoder)
        self.decoder = decoder
        self.counter = counter
        self.expected = expected
        if let expected {
            entry = OffloadedDigestVerifier(expected: expected, size: size, hashing: pipeline.hashing, next: counter)
        } else {
            entry = counter
        }
        self.pipeline = pipeline
    }

    public func verifies(_ digest: Digest) -> Bool { expected == digest }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        do {
            try entry.consume(chunk)
        } catch {
            throw pipeline.stop(error)
        }
    }

    public func finish() throws {
        do {
            try entry.finish()
        } catch {
            throw pipeline.stop(error)
        }
    }
}

/// Wall time, each thread's CPU time and time blocked on the other, on stderr.
private final class PipelineStats: @unchecked Sendable {  // extractionCPU is written before the join, read after
    let startWall = WaitClock.now()
    let startCPU = WaitClock.threadCPU()
    var extractionCPU: Int64 = 0

    func report(_ waits: (producer: WaitTally, consumer: WaitTally)) {
        func seconds(_ nanoseconds: Int64) -> String { String(format: "%.3f s", Double(nanoseconds) / 1e9) }
        let line = "pipeline: wall \(seconds(WaitClock.now() - startWall)); "
            + "receive/hash/decode thread CPU \(seconds(WaitClock.threadCPU() - startCPU)), blocked on a full ring \(waits.producer); "
            + "extraction thread CPU \(seconds(extractionCPU)), blocked on an empty ring \(waits.consumer)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}

/// `DigestVerifier` with the hashing done by a `HashingThread`: counts and
/// checks the size here, and `finish()` checks size and digest before
/// forwarding `finish()`, so the downstream never sees a clean end of a blob
/// that failed verification.
private final class OffloadedDigestVerifier: BlobConsumer {
    let expected: Digest
    let expectedSize: Int64?
    private(set) var bytesSeen: Int64 = 0
    private let hashing: HashingThread
    private let next: BlobConsumer

    init(expected: Digest, size: Int64?, hashing: HashingThread, next: BlobConsumer) {
        self.expected = expected
        expectedSize = size
        self.hashing = hashing
        self.next = next
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        bytesSeen += Int64(chunk.count)
        // Fail early: a server sending more than declared would otherwise be read to the end.
        if let expectedSize, bytesSeen > expectedSize {
            throw BlobVerificationError.tooLarge(digest: expected, expected: expectedSize)
        }
        try hashing.feed(chunk)
        try next.consume(chunk)
    }

    func finish() throws {
        if let expectedSize, bytesSeen != expectedSize {
            throw BlobVerificationError.sizeMismatch(digest: expected, expected: expectedSize, actual: bytesSeen)
        }
        try DigestVerifier.verify(try hashing.digest(), matches: expected)
        try next.finish()
    }
}

/// The decoded side of one layer: bytes into the ring, `finish` ends the segment.
private final class SegmentWriter: BlobConsumer {
    let channel: ChunkChannel
    init(channel: ChunkChannel) { self.channel = channel }
    func consume(_ chunk: UnsafeRawBufferPointer) throws { try channel.consume(chunk) }
    func finish() throws { try channel.endSegment() }
}
