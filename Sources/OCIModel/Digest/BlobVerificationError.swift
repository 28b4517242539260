
/// A blob's bytes did not match its descriptor. Each case names the expected digest.
public enum BlobVerificationError: Error, Equatable, CustomStringConvertible {
    case digestMismatch(expected: Digest, actual: Digest)
    case sizeMismatch(digest: Digest, expected: Int64, actual: Int64)
    /// More bytes arrived than the descriptor declared; raised as soon as it happens.
    case tooLarge(digest: Digest, expected: Int64)

    public var description: String {
        switch self {
        case .digestMismatch(let expected, let actual):
            "content digest mismatch: expected \(expected), got \(actual)"
        case .sizeMismatch(let digest, let expected, let actual):
            "blob \(digest) size mismatch: expected \(expected) bytes, got \(actual)"
        case .tooLarge(let digest, let expected):
            "blob \(digest) is larger than its declared \(expected) bytes"
        }
    }
}
