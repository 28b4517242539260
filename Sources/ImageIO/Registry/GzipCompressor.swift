import CCompression
import OCIModel

import OCIModel

/// Compresses a stream to gzip with ISA-L's `isal_deflate` at level 1 (the
/// fast level; a layer is compressed once, while it uploads) and hands the
/// compressed bytes to `next`. The header carries no name and mtime 0, so
/// the same tar always gives the same blob and digest.
final class GzipCompressor: BlobConsumer {
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer
    private let next: BlobConsumer

    init(next: BlobConsumer, outputCapacity: Int = 1 << 20) throws(ImageError) {
        guard let stream = ri_isal_zstream_new() else { throw .compression("ISA-L could not allocate a deflate stream") }
        self.stream = stream
        self.next = next
        levelBuffer = .allocate(byteCount: Int(RI_ISAL_DEF_LVL1_DEFAULT), alignment: 64)
        output = .allocate(byteCount: outputCapacity, alignment: 64)
        isal_deflate_init(stream)
        stream.pointee.level = 1
        stream.pointee.level_buf = levelBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = RI_ISAL_DEF_LVL1_DEFAULT
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
    }

    deinit {
        ri_isal_zstream_free(stream)
        levelBuffer.deallocate()
        output.deallocate()
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard var base = chunk.baseAddress else { return }
        var remaining = chunk.count
        while remaining > 0 {
            // avail_in is 32-bit.
            let slice = min(remaining, 1 << 30)
            try deflate(UnsafeMutableRawPointer(mutating: base), count: slice, end: false)
            base += slice
            remaining -= slice
        }
    }

    func finish() throws {
        try deflate(nil, count: 0, end: true)
        try next.finish()
    }

    private func deflate(_ input: UnsafeMutableRawPointer?, count: Int, end: Bool) throws {
        stream.pointee.next_in = input?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = UInt32(count)
        stream.pointee.end_of_stream = end ? 1 : 0
        repeat {
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = isal_deflate(stream)
            guard status == COMP_OK else { throw ImageError.compression("isal_deflate failed with status \(status)") }
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try next.consume(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
        } while stream.pointee.avail_in > 0 || (end && stream.pointee.internal_state.state != ZSTATE_END)
            || stream.pointee.avail_out == 0
    }
}
