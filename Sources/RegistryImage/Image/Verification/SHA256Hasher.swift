import CLibs
import FastExtract
import Foundation

/// Incremental SHA-256 over OpenSSL's EVP interface. Owns its EVP context.
final class SHA256Hasher {
    private let context: OpaquePointer

    init() throws(ImageError) {
        guard let context = EVP_MD_CTX_new() else { throw .io("cannot allocate a SHA-256 context") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw .io("cannot initialise SHA-256")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    func finalize() -> Digest {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in output.prefix(Int(length)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return Digest(sha256Hex: String(decoding: hex, as: UTF8.self))
    }

    static func digest(of data: Data) throws(ImageError) -> Digest {
        let hasher = try SHA256Hasher()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
