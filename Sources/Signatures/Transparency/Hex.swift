import FoundationEssentials
import OCIModel

/// Lowercase hex and SHA-256 as bytes, for Rekor's log ids and entry bodies.
enum Hex {
    static func encode(_ bytes: Data) -> String {
        bytes.map { TextFormatting.hexByte($0).lowercased() }.joined()
    }

    static func decode(_ text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func sha256(_ data: Data) -> Data {
        // SHA256Hasher answers in hex; its 64 digits always decode.
        decode(SHA256Hasher.digest(of: data).encoded) ?? Data()
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
