import CCompression

/// gzip through ISA-L's `isal_inflate` in `ISAL_GZIP` mode, which parses each
/// member's header and checks its CRC-32 and length trailer.
///
/// A gzip file may hold several members back to back (`cat a.gz b.gz`); the
/// state is reset for each. Zero bytes after the last member are padding that
/// some tools add, and are tolerated; anything else there is an error.
final class GzipDecoder: StreamDecoder {
    private enum Phase {
        case inMember
        case betweenMembers
        case padding
    }

    private let state: UnsafeMutablePointer<inflate_state>
    private var phase = Phase.inMember

    init() throws(DecompressionError) {
        guard let state = ri_isal_inflate_state_new() else { throw .outOfMemory(.gzip) }
        self.state = state
        startMember()
    }

    deinit {
        ri_isal_inflate_state_free(state)
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: DecodedOutput) throws {
        guard var next = input.baseAddress else { return }
        var remaining = input.count
        while remaining > 0 {
            switch phase {
            case .padding:
                let tail = UnsafeRawBufferPointer(start: next, count: remaining)
                guard tail.allSatisfy({ $0 == 0 }) else { throw DecompressionError.trailingGarbage(.gzip) }
                return
            case .betweenMembers:
                if next.load(as: UInt8.self) == 0 {
                    phase = .padding
                } else {
                    startMember()
                    phase = .inMember
                }
            case .inMember:
                // avail_in is 32-bit; feed very large chunks in slices.
                let slice = min(remaining, 1 << 30)
                let consumed = try inflate(next, count: slice, into: output)
                next += consumed
                remaining -= consumed
            }
        }
    }

    func finish() throws {
        guard phase != .inMember else { throw DecompressionError.truncated(.gzip) }
    }

    private func startMember() {
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        state.pointee.hist_bits = 0
    }

    /// Inflates until the slice is used up or the member ends; returns the bytes consumed.
    private func inflate(_ input: UnsafeRawPointer, count: Int, into output: DecodedOutput) throws -> Int {
        state.pointee.next_in = UnsafeMutablePointer(mutating: input.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(count)
        while true {
            let availableBefore = state.pointee.avail_in
            let space = try output.space()
            let capacity = UInt32(min(space.count, Int(UInt32.max)))
            state.pointee.next_out = space.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_out = capacity
            let status = isal_inflate(state)
            guard status >= 0 else { throw DecompressionError.corruptGzip(code: status) }
            let produced = Int(capacity - state.pointee.avail_out)
            try output.wrote(produced)
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                phase = .betweenMembers
                break
            }
            let outputFull = state.pointee.avail_out == 0
            let madeProgress = produced > 0 || state.pointee.avail_in != availableBefore
            // Done with this slice once the input is used up and nothing is left to flush.
            if (state.pointee.avail_in == 0 && !outputFull) || !madeProgress { break }
        }
        return count - Int(state.pointee.avail_in)
    }
}
