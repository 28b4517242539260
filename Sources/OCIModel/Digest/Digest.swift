
/// A content digest such as `sha256:e3b0…`. Only SHA-256 is accepted, as the
/// OCI image-spec requires registries and images to support it.
public struct Digest: Hashable, Sendable, CustomStringConvertible {
    public let algorithm: String
    /// Lowercase hex encoding of the hash.
    public let encoded: String

    public init(parsing text: String) throws(OCIModelError) {
        guard let colon = text.firstIndex(of: ":") else { throw .malformedDigest(text) }
        let algorithm = String(text[..<colon])
        let encoded = String(text[text.index(after: colon)...])
        guard algorithm == "sha256" else { throw .unsupportedDigestAlgorithm(text) }
        guard encoded.utf8.count == 64,
              encoded.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { throw .malformedDigest(text) }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    public init(sha256Hex hex: String) {
        self.algorithm = "sha256"
        self.encoded = hex
    }

    public var description: String { "\(algorithm):\(encoded)" }
}
