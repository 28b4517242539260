/// A content digest such as `sha256:e3b0…`. Only SHA-256 is accepted, as the
/// OCI image-spec requires registries and images to support it.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: String
    /// Lowercase hex encoding of the hash.
    public let encoded: String

    public init(parsing text: String) throws(DigestError) {
        guard let colon = text.firstIndex(of: ":") else { throw .malformed(text) }
        let algorithm = String(text[..<colon])
        let encoded = String(text[text.index(after: colon)...])
        guard algorithm == "sha256" else { throw .unsupportedAlgorithm(text) }
        guard encoded.utf8.count == 64,
              encoded.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { throw .malformed(text) }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    public init(sha256Hex hex: String) {
        self.algorithm = "sha256"
        self.encoded = hex
    }

    public var description: String { "\(algorithm):\(encoded)" }
}

public enum DigestError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedAlgorithm(String)

    public var description: String {
        switch self {
        case .malformed(let text): "malformed digest '\(text)' (expected sha256:<64 hex digits>)"
        case .unsupportedAlgorithm(let text): "unsupported digest algorithm in '\(text)' (only sha256 is supported)"
        }
    }
}
