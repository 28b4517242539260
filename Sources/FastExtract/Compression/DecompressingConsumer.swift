import OCIModel

/// Detects the blob's compression from its first bytes, decodes it, and
/// forwards the decoded bytes to `next` (written straight into its space when
/// built `writingInto:` a consumer that lends it: the read-ahead ring). Corrupt or truncated input throws
/// `DecompressionError` from `consume` or `finish`.
public final class DecompressingConsumer: BlobConsumer {
    /// Known once `Compression.sniffLength` bytes (or the end) have arrived.
    public private(set) var detected: Compression?
    private let next: BlobConsumer
    private let output: DecodedOutput
    private var decoder: StreamDecoder?
    /// Holds the first bytes while they are fewer than the sniff needs.
    private var leading: [UInt8] = []
    private var failure: Error?

    /// Decodes into a buffer of its own and hands `next` copies.
    public convenience init(next: BlobConsumer) {
        self.init(next: next, output: CopyingOutput(next: next))
    }

    /// Decodes straight into the space `next` lends (the read-ahead ring).
    convenience init(writingInto next: DirectlyWritableConsumer) {
        self.init(next: next, output: next)
    }

    private init(next: BlobConsumer, output: DecodedOutput) {
        self.next = next
        self.output = output
    }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        try guarded {
            if let decoder {
                try decode(chunk, with: decoder)
            } else if leading.isEmpty, chunk.count >= Compression.sniffLength {
                try decode(chunk, with: start(Compression.sniff(chunk)))
            } else {
                let taken = min(Compression.sniffLength - leading.count, chunk.count)
                leading.append(contentsOf: chunk.prefix(taken))
                guard leading.count == Compression.sniffLength else { return }
                let decoder = try decodeLeading()
                try decode(UnsafeRawBufferPointer(rebasing: chunk[taken...]), with: decoder)
            }
        }
    }

    public func finish() throws {
        try guarded {
            let decoder = try self.decoder ?? decodeLeading()
            try decoder.finish()
            try next.finish()
        }
    }

    /// Sniffs the held first bytes (fewer than four only at the end) and decodes them.
    private func decodeLeading() throws -> StreamDecoder {
        let decoder = try leading.withUnsafeBytes { bytes in
            let decoder = try start(Compression.sniff(bytes))
            try decode(bytes, with: decoder)
            return decoder
        }
        leading = []
        return decoder
    }

    private func start(_ compression: Compression) throws -> StreamDecoder {
        let decoder: StreamDecoder = switch compression {
        case .gzip: try GzipDecoder()
        case .zstd: try ZstdDecoder()
        case .none: PassThroughDecoder()
        }
        detected = compression
        self.decoder = decoder
        return decoder
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, with decoder: StreamDecoder) throws {
        try decoder.decode(bytes, into: output)
    }

    /// A decoder is unusable after an error; keep reporting the first one.
    private func guarded(_ body: () throws -> Void) throws {
        if let failure { throw failure }
        do { try body() } catch {
            failure = error
            throw error
        }
    }
}
