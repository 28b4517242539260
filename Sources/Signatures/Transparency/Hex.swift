import CCrypto
import FoundationEssentials
import OCIModel

/// Lowercase hex and SHA-256 as bytes, for Rekor's log ids and entry bodies.
enum Hex {
    static func encode(_ bytes: Data) -> String {
        TextFormatting.lowercaseHex(bytes)
    }

    static func decode(_ text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = TextFormatting.hexValue(digits[index]), let low = TextFormatting.hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// OpenSSL's one-shot digest, as bytes (no hex round trip).
    static func sha256(_ data: Data) -> Data {
        var hash = Data(count: 32)
        let status = hash.withUnsafeMutableBytes { out in
            data.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, out.baseAddress, nil, EVP_sha256(), nil) }
        }
        // Fails only when OpenSSL cannot allocate: no sensible recovery (as SHA256Hasher).
        guard status == 1 else { fatalError("EVP_Digest failed for SHA-256") }
        return hash
    }
}
