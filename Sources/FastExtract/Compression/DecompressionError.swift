
/// A compressed blob could not be decoded.
public enum DecompressionError: Error, Equatable, CustomStringConvertible {
    /// ISA-L rejected the gzip stream; `code` is its ISAL_* status.
    case corruptGzip(code: Int32)
    case corruptZstd(reason: String)
    /// The input ended inside a gzip member or zstd frame.
    case truncated(Compression)
    /// Non-zero bytes followed the last gzip member.
    case trailingGarbage(Compression)
    case outOfMemory(Compression)

    public var description: String {
        switch self {
        case .corruptGzip(let code): "corrupt gzip data: \(Self.isalMeaning(code)) (ISA-L status \(code))"
        case .corruptZstd(let reason): "corrupt zstd data: \(reason)"
        case .truncated(let compression): "\(compression) stream is truncated"
        case .trailingGarbage(let compression): "unexpected bytes after the end of the \(compression) stream"
        case .outOfMemory(let compression): "out of memory setting up the \(compression) decoder"
        }
    }

    private static func isalMeaning(_ code: Int32) -> String {
        switch code {
        case -1: "invalid deflate block"
        case -2: "invalid deflate symbol"
        case -3: "invalid lookback distance"
        case -4: "invalid gzip header"
        case -5: "unsupported compression method"
        case -6: "checksum or length mismatch"
        default: "decoder error"
        }
    }
}
