
/// A blob's compression, detected from its leading bytes and never from the media type.
public enum Compression: Sendable, Equatable, CustomStringConvertible {
    case gzip
    case zstd
    case none

    /// gzip starts `1f 8b`, a zstd frame `28 b5 2f fd`; anything else is taken as plain tar.
    /// Fewer than four bytes are fine: they are judged as far as they go.
    public static func sniff(_ leadingBytes: UnsafeRawBufferPointer) -> Compression {
        if leadingBytes.count >= 2, leadingBytes[0] == 0x1f, leadingBytes[1] == 0x8b { return .gzip }
        if leadingBytes.count >= 4, leadingBytes[0] == 0x28, leadingBytes[1] == 0xb5,
           leadingBytes[2] == 0x2f, leadingBytes[3] == 0xfd { return .zstd }
        return .none
    }

    /// The number of leading bytes `sniff` needs to tell every case apart.
    public static let sniffLength = 4

    public var description: String {
        switch self {
        case .gzip: "gzip"
        case .zstd: "zstd"
        case .none: "uncompressed"
        }
    }
}
