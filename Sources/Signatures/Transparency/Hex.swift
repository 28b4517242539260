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

    static func sha256(_ data: Data) -> Data {
        // SHA256Hasher answers in hex; its 64 digits always decode.
        decode(SHA256Hasher.digest(of: data).encoded) ?? Data()
    }
}
