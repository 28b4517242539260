import CLibs
import FastExtract
import Foundation

/// Incremental SHA-256 over OpenSSL's EVP interface; owns its `EVP_MD_CTX`.
final class ContentHasher {
    private let context: OpaquePointer

    init() {
        // EVP_MD_CTX_new only fails when out of memory; nothing sensible is
        // possible then.
        guard let context = EVP_MD_CTX_new() else { fatalError("out of memory (EVP_MD_CTX_new)") }
        self.context = context
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    func finalize() -> Digest {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        let hex = output.prefix(Int(length)).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        return Digest(sha256Hex: hex)
    }

    static func sha256(_ data: Data) -> Digest {
        let hasher = ContentHasher()
        data.withUnsafeBytes { hasher.update($0) }
        return hasher.finalize()
    }
}
