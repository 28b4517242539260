import CCompression

/// zstd through `ZSTD_decompressStream`, which runs across frame boundaries on
/// its own, so multi-frame blobs need nothing special. The window is capped at
/// libzstd's default (128 MiB), which bounds memory whatever the blob says.
final class ZstdDecoder: StreamDecoder {
    private let stream: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    /// True when the last call ended exactly at the end of a frame.
    private var atFrameEnd = false

    init(outputCapacity: Int = 1 << 20) throws(DecompressionError) {
        guard let stream = ZSTD_createDStream() else { throw .outOfMemory(.zstd) }
        self.stream = stream
        output = .allocate(byteCount: outputCapacity, alignment: 64)
    }

    deinit {
        ZSTD_freeDStream(stream)
        output.deallocate()
    }

    func decode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        var source = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        let outputBase = output.baseAddress.unsafelyUnwrapped
        var destination: ZSTD_outBuffer
        // A full output buffer may leave decoded bytes inside libzstd: call again to drain them.
        repeat {
            destination = ZSTD_outBuffer(dst: outputBase, size: output.count, pos: 0)
            let result = ZSTD_decompressStream(stream, &destination, &source)
            if ZSTD_isError(result) != 0 {
                throw DecompressionError.corruptZstd(reason: String(cString: ZSTD_getErrorName(result)))
            }
            atFrameEnd = result == 0
            if destination.pos > 0 { try emit(UnsafeRawBufferPointer(start: outputBase, count: destination.pos)) }
        } while source.pos < source.size || destination.pos == destination.size
    }

    func finish() throws {
        guard atFrameEnd else { throw DecompressionError.truncated(.zstd) }
    }
}
