import Foundation
import OCIModel

/// Drives one layer through two threads: the caller's thread pushes the
/// compressed blob through `consume` (hash and count, then decode), and a
/// dedicated extraction thread runs `extract`, pulling decoded bytes from a
/// bounded `ChunkChannel`. The C libraries on both sides block, so these are
/// plain threads rather than async tasks.
///
/// Chain: [`DigestVerifier`] → `DecompressingConsumer` → `ChunkChannel` → `extract`.
/// The extraction sees the end of its stream only after the blob's digest and
/// size were verified.
///
/// Errors: whichever side fails first owns the outcome. Its error is recorded
/// in the channel, the other side is woken and fails with a consequence of it,
/// and `finish`/`consume` throw the first one, so a producer error is never
/// masked by the extraction error it caused, and vice versa.
///
/// A caller that gives up before `finish` must call `cancel(_:)` (deinit does
/// too), which unblocks and joins the extraction thread.
public final class LayerExtraction: BlobConsumer {
    private let channel: ChunkChannel
    /// The consumer bytes enter by: a verifier in front of the decoder, or
    /// the decoder itself when the caller verifies (`expected` nil).
    private let entry: BlobConsumer
    private let counter: ByteCounter
    private let decoder: DecompressingConsumer
    private let completion = ThreadCompletion()
    private var joined = false

    /// The compression detected from the blob's first bytes.
    public var detected: Compression? { decoder.detected }
    /// Compressed bytes received so far.
    public var bytesSeen: Int64 { counter.count }

    /// Starts the extraction thread at once; it waits for bytes.
    /// - Parameter expected: the blob's digest, checked before the stream
    ///   ends; nil when a `DigestVerifier` in front of this consumer does it.
    public init(
        expected: Digest?,
        size: Int64?,
        slots: Int = 8,
        slotSize: Int = 1 << 20,
        extract: @escaping @Sendable (ByteSource) throws -> Void
    ) {
        let channel = ChunkChannel(slots: slots, slotSize: slotSize)
        self.channel = channel
        let decoder = DecompressingConsumer(next: channel)
        self.decoder = decoder
        let counter = ByteCounter(next: decoder)
        self.counter = counter
        entry = expected.map { DigestVerifier(expected: $0, size: size, next: counter) } ?? counter
        let completion = completion
        let thread = Thread {
            do {
                try extract(channel)
                // The archive may end before its padding; let the producer drain the rest.
                channel.closeReading()
            } catch {
                channel.fail(error)
            }
            completion.signal()
        }
        thread.name = "layer-extraction"
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit {
        cancel(LayerExtractionError.abandoned)
    }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        if joined { throw channel.failure ?? LayerExtractionError.alreadyFinished }
        do {
            try entry.consume(chunk)
        } catch {
            throw stop(error)
        }
    }

    /// Verifies the blob, ends the stream, waits for the extraction, and throws the first failure.
    public func finish() throws {
        if joined { throw channel.failure ?? LayerExtractionError.alreadyFinished }
        do {
            try entry.finish()
        } catch {
            throw stop(error)
        }
        join()
        if let failure = channel.failure { throw failure }
    }

    /// Abandons the layer: wakes the extraction thread with `error` and joins it.
    /// Safe to call more than once and after `finish`.
    public func cancel(_ error: Error) {
        guard !joined else { return }
        channel.fail(error)
        join()
    }

    /// Fails the channel with `error` (a no-op if the extraction failed first),
    /// joins, and returns the error that started it all.
    private func stop(_ error: Error) -> Error {
        channel.fail(error)
        join()
        return channel.failure ?? error
    }

    private func join() {
        guard !joined else { return }
        completion.wait()
        joined = true
    }
}

public enum LayerExtractionError: Error, Equatable, CustomStringConvertible {
    case abandoned
    case alreadyFinished

    public var description: String {
        switch self {
        case .abandoned: "layer extraction was abandoned before the blob ended"
        case .alreadyFinished: "layer extraction was used after it finished"
        }
    }
}

/// Counts the bytes passing through.
final class ByteCounter: BlobConsumer {
    private(set) var count: Int64 = 0
    private let next: BlobConsumer
    init(next: BlobConsumer) { self.next = next }
    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        count += Int64(chunk.count)
        try next.consume(chunk)
    }
    func finish() throws { try next.finish() }
}

/// A one-shot "the thread is done" flag that can be waited on.
/// `@unchecked`: `done` is only touched under `condition`.
final class ThreadCompletion: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false

    func signal() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !done { condition.wait() }
        condition.unlock()
    }
}
