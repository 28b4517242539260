import OCIModel

/// One decompression format, fed compressed bytes in arbitrary pieces. Decoded
/// bytes are written straight into the space `output` lends (the read-ahead
/// ring's free slot, when the next stage is the ring), in pieces of at most
/// that space; `output` may throw to stop.
protocol StreamDecoder: AnyObject {
    func decode(_ input: UnsafeRawBufferPointer, into output: DecodedOutput) throws
    /// The input ended: throws if it ended inside a member or frame.
    func finish() throws
}

/// Where a decoder writes: space to fill, then how much of it was filled.
protocol DecodedOutput: AnyObject {
    /// Space for decoded bytes, never empty; valid until the next `wrote`.
    func space() throws -> UnsafeMutableRawBufferPointer
    /// The first `count` bytes of the last `space()` now hold decoded bytes.
    func wrote(_ count: Int) throws
}

/// A stage that lends its own buffer to write into (the read-ahead ring), so
/// decoded bytes are written once, not decoded into a buffer and copied.
protocol DirectlyWritableConsumer: BlobConsumer, DecodedOutput {}

/// For any other next stage: decodes into a buffer of its own and hands each
/// filled piece on.
final class CopyingOutput: DecodedOutput {
    private let next: BlobConsumer
    private let buffer: UnsafeMutableRawBufferPointer

    /// 256 KiB: each piece is handed on at once, so more would only be resident memory.
    init(next: BlobConsumer, capacity: Int = 256 << 10) {
        self.next = next
        buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit { buffer.deallocate() }

    func space() throws -> UnsafeMutableRawBufferPointer { buffer }

    func wrote(_ count: Int) throws {
        if count > 0 { try next.consume(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
    }
}

/// Plain tar: the bytes are already what the extraction wants.
final class PassThroughDecoder: StreamDecoder {
    func decode(_ input: UnsafeRawBufferPointer, into output: DecodedOutput) throws {
        guard var next = input.baseAddress else { return }
        var remaining = input.count
        while remaining > 0 {
            let space = try output.space()
            let count = min(space.count, remaining)
            space.baseAddress.unsafelyUnwrapped.copyMemory(from: next, byteCount: count)
            try output.wrote(count)
            next += count
            remaining -= count
        }
    }

    func finish() throws {}
}
