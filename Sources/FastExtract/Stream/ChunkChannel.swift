import FoundationEssentials
import OCIModel

/// The bounded hand-off between the thread that receives and decodes a blob and
/// the thread that extracts it.
///
/// The producer side is a `BlobConsumer`: `consume` copies into a ring of
/// fixed slots and blocks while every slot is full; `finish` marks the end.
/// The consumer side is a `ByteSource`. A slot is handed over only when full
/// (or at the end), so the two threads meet once per slot, not once per chunk.
/// Memory is `slots × slotSize`, allocated once.
///
/// Segments: the producer may end a segment (`endSegment`, one layer's bytes)
/// and go straight on with the next one; the reader sees 0 at the segment's end
/// and moves on with `nextSegment()`. This is what lets one layer be received
/// and decoded while the one before it is still being written.
///
/// The reader may also borrow a whole slot (`borrow()`) instead of copying out
/// of it: the slot stays the reader's until its next call.
///
/// Failures cross both ways: `fail(_:)` from either side wakes the other, which
/// then throws the same error. The first failure is kept; later ones are
/// usually consequences of it.
/// `@unchecked`: slot state is guarded by its condition lock; slot memory is owned by one side at a time.
public final class ChunkChannel: BlobConsumer, BorrowingByteSource, @unchecked Sendable {
    public let slots: Int
    public let slotSize: Int

    private let storage: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<Int>
    /// Whether a segment ends with the slot (a slot of length 0 only marks an end).
    private let ends: UnsafeMutablePointer<Bool>
    private let condition = PosixCondition()

    // Shared, guarded by `condition`. Slots readIndex..<readIndex+published (mod slots)
    // are full; the producer fills slot (readIndex + published) % slots.
    private var published = 0
    private var finished = false
    private var firstFailure: Error?
    /// Time each side spent blocked on the other (for `RI_PIPELINE_STATS`).
    private var waits = (producer: WaitTally(), consumer: WaitTally())

    // Producer-only.
    private var writeIndex = 0
    private var fill = 0

    // Consumer-only.
    private var readIndex = 0
    private var readOffset = 0
    private var readLength = 0
    private var readEndsSegment = false
    private var holdingSlot = false
    /// The current segment's bytes are all read; `read` returns 0 until `nextSegment()`.
    private var atSegmentEnd = false

    /// - Parameters:
    ///   - slots: at least 1; with 2 or more one slot is filled while another is read.
    ///   - slotSize: bytes per slot.
    public init(slots: Int = 8, slotSize: Int = 1 << 20) {
        precondition(slots >= 1 && slotSize >= 1, "ChunkChannel needs at least one slot of at least one byte")
        self.slots = slots
        self.slotSize = slotSize
        storage = .allocate(byteCount: slots * slotSize, alignment: 64)
        lengths = .allocate(capacity: slots)
        lengths.initialize(repeating: 0, count: slots)
        ends = .allocate(capacity: slots)
        ends.initialize(repeating: false, count: slots)
    }

    deinit {
        storage.deallocate()
        lengths.deallocate()
        ends.deallocate()
    }

    /// The first failure reported by either side, if any.
    public var failure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return firstFailure
    }

    /// How long the producer waited for a free slot and the reader for bytes, so far.
    public var waitTimes: (producer: WaitTally, consumer: WaitTally) {
        condition.lock()
        defer { condition.unlock() }
        return waits
    }

    /// Reports a failure from either side and wakes the other. Only the first one is kept.
    public func fail(_ error: Error) {
        condition.lock()
        if firstFailure == nil { firstFailure = error }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Producer side

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard var source = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            if fill == 0 { try waitForFreeSlot() }
            let count = min(slotSize - fill, remaining)
            (storage + writeIndex * slotSize + fill).copyMemory(from: source, byteCount: count)
            fill += count
            source += count
            remaining -= count
            if fill == slotSize { try publish(final: false) }
        }
    }

    public func finish() throws {
        try publish(final: true)
    }

    /// The free part of the slot being filled, to write into directly
    /// (waits for a free slot first); `commitWritten` then accounts for it.
    public func writableSpace() throws -> UnsafeMutableRawBufferPointer {
        if fill == 0 { try waitForFreeSlot() }
        return UnsafeMutableRawBufferPointer(start: storage + writeIndex * slotSize + fill, count: slotSize - fill)
    }

    /// The first `count` bytes of the last `writableSpace()` are written.
    public func commitWritten(_ count: Int) throws {
        precondition(count >= 0 && count <= slotSize - fill, "committed more than the writable space")
        fill += count
        if fill == slotSize { try publish(final: false) }
    }

    /// Ends the current segment; the next bytes start another one. Does not
    /// wait for the reader, except for a free slot when the last one is full.
    public func endSegment() throws {
        if fill == 0 { try waitForFreeSlot() }
        try publish(final: false, endingSegment: true)
    }

    /// Blocks until the slot at `writeIndex` is free.
    private func waitForFreeSlot() throws {
        condition.lock()
        defer { condition.unlock() }
        if published == slots, firstFailure == nil {
            let start = WaitClock.now()
            while published == slots, firstFailure == nil { condition.wait() }
            waits.producer.add(since: start)
        }
        if let firstFailure { throw firstFailure }
        if finished { throw ChunkChannelError.writeAfterFinish }
    }

    private func publish(final: Bool, endingSegment: Bool = false) throws {
        condition.lock()
        defer { condition.unlock() }
        if let firstFailure { throw firstFailure }
        if finished { throw ChunkChannelError.writeAfterFinish }
        if fill > 0 || endingSegment {
            lengths[writeIndex] = fill
            ends[writeIndex] = endingSegment
            published += 1
            writeIndex = (writeIndex + 1) % slots
            fill = 0
        }
        if final { finished = true }
        condition.broadcast()
    }

    // MARK: Consumer side

    /// Blocks until bytes are available; returns 0 at the end of the segment
    /// or of the stream. Throws the first failure, checked whenever a new slot
    /// is taken (so within one slot of reading).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let destination = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        if holdingSlot && readOffset == readLength { releaseSlot() }
        if !holdingSlot {
            guard try takeSlot() else { return 0 }
        }
        // The producer never writes a published slot, so the copy needs no lock.
        let count = min(readLength - readOffset, buffer.count)
        destination.copyMemory(from: storage + readIndex * slotSize + readOffset, byteCount: count)
        readOffset += count
        // Hand the slot back at once: the producer may be waiting for it.
        if readOffset == readLength { releaseSlot() }
        return count
    }

    /// The next slot's bytes, without copying; empty at the end of the segment
    /// or of the stream. They stay valid until the next `borrow`, `read`,
    /// `nextSegment` or `skipSegment` (the producer cannot reuse the slot before).
    public func borrow() throws -> UnsafeRawBufferPointer {
        if holdingSlot { releaseSlot() }
        guard try takeSlot() else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        readOffset = readLength
        return UnsafeRawBufferPointer(start: storage + readIndex * slotSize, count: readLength)
    }

    /// Discards what is left of the current segment (a tar's padding after its
    /// end marker); the segment's end must still be reached, not guessed.
    public func skipSegment() throws {
        while try borrow().count > 0 {}
        if holdingSlot { releaseSlot() }
    }

    /// After a segment's end: waits for the next segment. Returns false when
    /// the stream finished instead. Throws the first failure.
    public func nextSegment() throws -> Bool {
        if holdingSlot { releaseSlot() }
        atSegmentEnd = false
        condition.lock()
        defer { condition.unlock() }
        if published == 0, !finished, firstFailure == nil {
            let start = WaitClock.now()
            while published == 0, !finished, firstFailure == nil { condition.wait() }
            waits.consumer.add(since: start)
        }
        if let firstFailure { throw firstFailure }
        return published > 0
    }

    /// Takes the next full slot (skipping an end marker). False at a segment's or the stream's end.
    private func takeSlot() throws -> Bool {
        if atSegmentEnd { return false }
        condition.lock()
        if published == 0, !finished, firstFailure == nil {
            let start = WaitClock.now()
            while published == 0, !finished, firstFailure == nil { condition.wait() }
            waits.consumer.add(since: start)
        }
        if let firstFailure {
            condition.unlock()
            throw firstFailure
        }
        if published == 0 {
            condition.unlock()
            return false
        }
        readLength = lengths[readIndex]
        readEndsSegment = ends[readIndex]
        condition.unlock()
        readOffset = 0
        holdingSlot = true
        if readLength == 0 {
            releaseSlot()
            return false
        }
        return true
    }

    private func releaseSlot() {
        condition.lock()
        readIndex = (readIndex + 1) % slots
        published -= 1
        condition.broadcast()
        condition.unlock()
        holdingSlot = false
        if readEndsSegment { atSegmentEnd = true }
    }
}

public enum ChunkChannelError: Error, Equatable, CustomStringConvertible {
    case writeAfterFinish

    public var description: String {
        switch self {
        case .writeAfterFinish: "bytes were written to a chunk channel after it was finished"
        }
    }
}
