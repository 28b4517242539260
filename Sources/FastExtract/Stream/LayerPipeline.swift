import FoundationEssentials
import Glibc
import OCIModel

/// Applies an image's layers in order on ONE long-lived extraction thread,
/// while the caller's thread receives and hashes them and ONE decoding thread
/// decodes them: layer N+1's bytes flow into the read-ahead ring while layer
/// N's tail is still being written, so neither side waits at a layer boundary
/// (no thread start or join per layer, no end-of-layer hand-shake).
///
/// Chain per layer: `DigestVerifier` (hashing inline: with decoding on its own
/// thread, receiving and hashing fill less than half of theirs) →
/// `PipelinedLayer` (count) → the `DecodingThread` → one segment of a shared
/// `ChunkChannel` → `apply`. The verifier forwards a blob's end only after its
/// digest and size matched, so `apply` never sees a clean end of a bad blob;
/// the caller commits the result only after `finish()` returned.
///
/// Errors: whichever side fails first owns the outcome. Its error is recorded
/// in the channel, the other side is woken and fails with a consequence of it,
/// and `consume`, `finish` and the pipeline's `finish` throw the first one, so
/// a producer error is never masked by the extraction error it caused, and
/// vice versa. An error thrown by `apply` for layer N may surface
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
    private let decoding: DecodingThread
    /// A layer was handed out and has not ended (its `finish` not reached).
    fileprivate(set) var layerOpen = false
    private let completion = ThreadOutcome<Void>()
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
        decoding = DecodingThread(output: channel)
        let stats = getenv("RI_PIPELINE_STATS").map { String(cString: $0) == "1" } == true ? PipelineStats() : nil
        self.stats = stats
        let completion = completion
        PosixThread.start(name: "layer-extraction", stackBytes: 8 << 20) {
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
    }

    deinit {
        cancel(LayerPipelineError.abandoned)
    }

    /// The first failure of either side, if any.
    public var failure: Error? { channel.failure }

    /// The consumer for the next layer's blob, which the caller puts behind a
    /// `DigestVerifier`. Feed it completely
    /// (`finish` included) before asking for the following layer's.
    public func layer() throws -> PipelinedLayer {
        if joined { throw channel.failure ?? LayerPipelineError.alreadyFinished }
        if layerOpen { throw stop(LayerPipelineError.unfinishedLayer) }
        layerOpen = true
        return PipelinedLayer(decoding: decoding, pipeline: self)
    }

    /// After the last layer's `finish`: waits until every layer is applied and
    /// throws the first failure.
    public func finish() throws {
        if joined { throw channel.failure ?? LayerPipelineError.alreadyFinished }
        // A layer whose verifier failed never ended its segment: finishing
        // the stream now would hand `apply` a clean end of unverified bytes.
        if layerOpen { throw stop(LayerPipelineError.unfinishedLayer) }
        do {
            try decoding.finish()
        } catch {
            throw stop(error)
        }
        join()
        if let failure = channel.failure { throw failure }
        stats?.report(channel.waitTimes, compressed: decoding.input.waitTimes, decodingCPU: decoding.cpu)
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
        decoding.stop(error)
        join()
        return channel.failure ?? error
    }

    private func join() {
        guard !joined else { return }
        completion.wait()
        joined = true
    }
}

/// One layer's blob going into a `LayerPipeline`: counted, then handed to
/// the decoding thread, which writes it into the pipeline's ring as one
/// segment. `finish` waits until the blob is decoded (so a decoding error
/// names this layer), not for the extraction.
public final class PipelinedLayer: BlobConsumer {
    private let counter: ByteCounter
    private let decoding: DecodingThread
    private let pipeline: LayerPipeline

    /// The compression detected from the blob's first bytes, once `finish` returned.
    public private(set) var detected: Compression?
    /// Compressed bytes received so far.
    public var bytesSeen: Int64 { counter.count }

    init(decoding: DecodingThread, pipeline: LayerPipeline) {
        counter = ByteCounter(next: decoding.input)
        self.decoding = decoding
        self.pipeline = pipeline
    }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        do {
            try counter.consume(chunk)
        } catch {
            throw pipeline.stop(error)
        }
    }

    public func finish() throws {
        do {
            detected = try decoding.endSegment()
            pipeline.layerOpen = false
        } catch {
            throw pipeline.stop(error)
        }
    }
}

/// Wall time, each side's CPU time and time blocked on the other, on stderr.
/// The receiving side runs on several threads (prefetch receivers, the
/// caller), so its CPU is the process's less the extraction and decoding
/// threads'.
private final class PipelineStats: @unchecked Sendable {  // extractionCPU is written before the join, read after
    let startWall = WaitClock.now()
    let startCPU = WaitClock.processCPU()
    var extractionCPU: Int64 = 0

    func report(
        _ waits: (producer: WaitTally, consumer: WaitTally), compressed: (producer: WaitTally, consumer: WaitTally),
        decodingCPU: Int64
    ) {
        func seconds(_ nanoseconds: Int64) -> String { TextFormatting.fixed(Double(nanoseconds) / 1e9, decimals: 3) + " s" }
        let line = "pipeline: wall \(seconds(WaitClock.now() - startWall)); "
            + "receive/hash threads CPU \(seconds(WaitClock.processCPU() - startCPU - extractionCPU - decodingCPU)), "
            + "blocked on a full compressed ring \(compressed.producer); "
            + "decoding thread CPU \(seconds(decodingCPU)), blocked on an empty compressed ring \(compressed.consumer), "
            + "on a full ring \(waits.producer); "
            + "extraction thread CPU \(seconds(extractionCPU)), blocked on an empty ring \(waits.consumer)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
