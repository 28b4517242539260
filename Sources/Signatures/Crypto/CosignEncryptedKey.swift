import CSodium
import FoundationEssentials

/// cosign's encrypted private key (`cosign generate-key-pair`): a PEM block
/// `ENCRYPTED SIGSTORE PRIVATE KEY` (older: `ENCRYPTED COSIGN PRIVATE KEY`)
/// holding go-securesystemslib's `encrypted` JSON: `{"kdf": {"name":
/// "scrypt", "params": {"N", "r", "p"}, "salt"}, "cipher": {"name":
/// "nacl/secretbox", "nonce"}, "ciphertext"}`, the plaintext a PKCS#8 DER
/// key. scrypt and secretbox come from libsodium (OpenSSL has no secretbox).
enum CosignEncryptedKey {
    static let pemTypes = ["ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"]

    struct Document: Decodable {
        struct KDF: Decodable {
            struct Params: Decodable {
                // swiftlint:disable:next identifier_name
                let N: UInt64
                let r, p: UInt32
            }
            let name: String
            let params: Params
            let salt: String
        }
        struct Cipher: Decodable {
            let name, nonce: String
        }
        let kdf: KDF
        let cipher: Cipher
        let ciphertext: String
    }

    static func pemType(of pem: String) -> String? {
        pemTypes.first { pem.contains("-----BEGIN \($0)-----") }
    }

    static func decrypt(pem: String, type: String, password: String) throws(SignatureError) -> Data {
        let what = "cosign private key"
        guard let begin = pem.firstRange(of: "-----BEGIN \(type)-----"),
              let end = pem[begin.upperBound...].firstRange(of: "-----END \(type)-----") else {
            throw .malformed(what: what, reason: "unterminated PEM block")
        }
        let body = pem[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard let json = Data(base64Encoded: String(body)),
              let document = try? JSONDecoder().decode(Document.self, from: json) else {
            throw .malformed(what: what, reason: "not go-securesystemslib's encrypted JSON")
        }
        guard document.kdf.name == "scrypt", document.cipher.name == "nacl/secretbox" else {
            throw .malformed(what: what, reason: "unsupported kdf \(document.kdf.name) or cipher \(document.cipher.name)")
        }
        guard let salt = Data(base64Encoded: document.kdf.salt),
              let nonce = Data(base64Encoded: document.cipher.nonce),
              let sealed = Data(base64Encoded: document.ciphertext),
              nonce.count == Int(crypto_secretbox_NONCEBYTES), sealed.count > Int(crypto_secretbox_MACBYTES) else {
            throw .malformed(what: what, reason: "bad salt, nonce or ciphertext")
        }
        let params = document.kdf.params
        // go-securesystemslib accepts N up to 2^20; more would be a memory bomb.
        guard params.N >= 2, params.N <= 1 << 20, params.N & (params.N - 1) == 0, params.r > 0, params.r <= 32,
              params.p > 0, params.p <= 16 else {
            throw .malformed(what: what, reason: "scrypt parameters out of range")
        }
        guard sodium_init() >= 0 else { throw .rejected(reason: "libsodium could not be initialised") }
        var boxKey = [UInt8](repeating: 0, count: Int(crypto_secretbox_KEYBYTES))
        defer { sodium_memzero(&boxKey, boxKey.count) }
        let password = Array(password.utf8)
        let saltBytes = Array(salt)
        let derived = crypto_pwhash_scryptsalsa208sha256_ll(
            password, password.count, saltBytes, saltBytes.count, params.N, params.r, params.p, &boxKey, boxKey.count)
        guard derived == 0 else { throw .rejected(reason: "scrypt failed (out of memory?)") }
        var plain = [UInt8](repeating: 0, count: sealed.count - Int(crypto_secretbox_MACBYTES))
        defer { sodium_memzero(&plain, plain.count) }
        let sealedBytes = Array(sealed)
        let opened = crypto_secretbox_open_easy(&plain, sealedBytes, UInt64(sealedBytes.count), Array(nonce), boxKey)
        guard opened == 0 else { throw .rejected(reason: "the password does not decrypt the cosign private key") }
        return Data(plain)
    }
}
