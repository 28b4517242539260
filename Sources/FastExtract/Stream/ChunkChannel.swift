import Foundation
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
/// Failures cross both ways: `fail(_:)` from either side wakes the other, which
/// then throws the same error. The first failure is kept; later ones are
/// usually consequences of it.
/// `@unchecked`: slot state is guarded by its condition lock; slot memory is owned by one side at a time.
public final class ChunkChannel: BlobConsumer, ByteSource, @unchecked Sendable {
    public let slots: Int
    public let slotSize: Int

    private let storage: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<Int>
    private let condition = NSCondition()

    // Shared, guarded by `condition`. Slots readIndex..<readIndex+published (mod slots)
    // are full; the producer fills slot (readIndex + published) % slots.
    private var published = 0
    private var finished = false
    private var readerClosed = false
    private var firstFailure: Error?

    // Producer-only.
    private var writeIndex = 0
    private var fill = 0

    // Consumer-only.
    private var readIndex = 0
    private var readOffset = 0
    private var readLength = 0
    private var holdingSlot = false

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
    }

    deinit {
        storage.deallocate()
        lengths.deallocate()
    }

    /// The first failure reported by either side, if any.
    public var failure: Error? {
        condition.lock()
        defer { condition.unlock() }
        return firstFailure
    }

    /// Reports a failure from either side and wakes the other. Only the first one is kept.
    public func fail(_ error: Error) {
        condition.lock()
        if firstFailure == nil { firstFailure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// The reading side needs no more bytes: from now on `consume` discards
    /// instead of blocking (the producer still hashes and decodes everything).
    public func closeReading() {
        condition.lock()
        readerClosed = true
        published = 0
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Producer side

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard var source = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            if fill == 0 {
                guard try waitForFreeSlot() else { return }
            }
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

    /// Blocks until the slot at `writeIndex` is free. Returns false when the reader closed.
    private func waitForFreeSlot() throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while published == slots, firstFailure == nil, !readerClosed { condition.wait() }
        if let firstFailure { throw firstFailure }
        if finished { throw ChunkChannelError.writeAfterFinish }
        return !readerClosed
    }

    private func publish(final: Bool) throws {
        condition.lock()
        defer { condition.unlock() }
        if let firstFailure { throw firstFailure }
        if finished { throw ChunkChannelError.writeAfterFinish }
        if readerClosed {
            fill = 0
        } else if fill > 0 {
            lengths[writeIndex] = fill
            published += 1
            writeIndex = (writeIndex + 1) % slots
            fill = 0
        }
        if final { finished = true }
        condition.broadcast()
    }

    // MARK: Consumer side

    /// Blocks until bytes are available; returns 0 at the end. Throws the first
    /// failure, checked whenever a new slot is taken (so within one slot of reading).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let destination = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        if !holdingSlot {
            condition.lock()
            while published == 0, !finished, firstFailure == nil { condition.wait() }
            if let firstFailure {
                condition.unlock()
                throw firstFailure
            }
            if published == 0 {
                condition.unlock()
                return 0
            }
            readLength = lengths[readIndex]
            condition.unlock()
            readOffset = 0
            holdingSlot = true
        }
        // The producer never writes a published slot, so the copy needs no lock.
        let count = min(readLength - readOffset, buffer.count)
        destination.copyMemory(from: storage + readIndex * slotSize + readOffset, byteCount: count)
        readOffset += count
        if readOffset == readLength {
            condition.lock()
            readIndex = (readIndex + 1) % slots
            published -= 1
            condition.broadcast()
            condition.unlock()
            holdingSlot = false
        }
        return count
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
