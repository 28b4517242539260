
/// One decompression format, fed compressed bytes in arbitrary pieces. Decoded
/// bytes go to `emit` as they are produced, in pieces of at most the decoder's
/// output buffer; `emit` may throw to stop.
protocol StreamDecoder: AnyObject {
    func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// The input ended: throws if it ended inside a member or frame.
    func finish() throws
}

/// Plain tar: the bytes are already what the extraction wants.
final class PassThroughDecoder: StreamDecoder {
    func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !input.isEmpty { try emit(input) }
    }

    func finish() throws {}
}
