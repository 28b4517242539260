import CCompression

/// zstd through `ZSTD_decompressStream`, which runs across frame boundaries on
/// its own, so multi-frame blobs need nothing special. The window is capped at
/// libzstd's default (128 MiB), which bounds memory whatever the blob says.
final class ZstdDecoder: StreamDecoder {
    private let stream: OpaquePointer
    /// True when the last call ended exactly at the end of a frame.
    private var atFrameEnd = false

    init() throws(DecompressionError) {
        guard let stream = ZSTD_createDStream() else { throw .outOfMemory(.zstd) }
        self.stream = stream
    }

    deinit {
        ZSTD_freeDStream(stream)
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: DecodedOutput) throws {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        var source = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        var destination: ZSTD_outBuffer
        // A full output buffer may leave decoded bytes inside libzstd: call again to drain them.
        repeat {
            let space = try output.space()
            destination = ZSTD_outBuffer(dst: space.baseAddress, size: space.count, pos: 0)
            let result = ZSTD_decompressStream(stream, &destination, &source)
            if ZSTD_isError(result) != 0 {
                throw DecompressionError.corruptZstd(reason: String(cString: ZSTD_getErrorName(result)))
            }
            atFrameEnd = result == 0
            try output.wrote(destination.pos)
        } while source.pos < source.size || destination.pos == destination.size
    }

    func finish() throws {
        guard atFrameEnd else { throw DecompressionError.truncated(.zstd) }
    }
}
