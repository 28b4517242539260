import CCrypto
import OCIModel

/// HMAC-SHA256 over OpenSSL's one-shot `HMAC()`, and the hex SHA-256 that
/// Signature Version 4 uses for payloads and canonical requests.
enum HMACSHA256 {
    static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBufferPointer { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                output.withUnsafeMutableBufferPointer { out in
                    HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                         messageBytes.baseAddress, messageBytes.count, out.baseAddress, &length)
                }
            }
        }
        // HMAC() fails only when OpenSSL cannot allocate; nothing sensible remains to do.
        guard result != nil, length == 32 else { fatalError("OpenSSL HMAC-SHA256 failed") }
        return Array(output[0..<32])
    }

    static func mac(key: [UInt8], message: String) -> [UInt8] { mac(key: key, message: Array(message.utf8)) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Lowercase hex SHA-256 of `bytes`.
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { SHA256Hasher.digest(of: $0) }.encoded
    }
}
