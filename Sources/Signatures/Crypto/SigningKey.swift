import CCrypto
import FoundationEssentials

/// A private key that signs as cosign does: the one Swift owner of an
/// OpenSSL `EVP_PKEY` used for signing. Read from PKCS#8 PEM ("PRIVATE
/// KEY", or "ENCRYPTED PRIVATE KEY" with a password; OpenSSL decrypts) or
/// from cosign's own `ENCRYPTED SIGSTORE PRIVATE KEY` / `ENCRYPTED COSIGN
/// PRIVATE KEY` (see `CosignEncryptedKey`). ECDSA and RSA sign SHA-256
/// (cosign's default hash), Ed25519 signs the message itself.
public struct SigningKey: Sendable {
    public let publicKey: VerificationKey
    private let handle: PrivateKeyHandle

    /// Reads a PEM private key; `password` decrypts an encrypted one. A wrong
    /// password or an unreadable key is one line that shows neither.
    public init(pem: String, password: String?) throws(SignatureError) {
        let der: Data
        if let kind = CosignEncryptedKey.pemType(of: pem) {
            der = try CosignEncryptedKey.decrypt(pem: pem, type: kind, password: password ?? "")
            try self.init(pkcs8DER: der)
            return
        }
        if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"), (password ?? "").isEmpty {
            throw .malformed(what: "private key", reason: "it is encrypted and no password was given")
        }
        let passphrase = Array((password ?? "").utf8CString)
        let key: OpaquePointer? = try VerificationKey.withBIO(Data(pem.utf8)) { bio in
            passphrase.withUnsafeBufferPointer { phrase in
                // With no callback, OpenSSL takes `u` as the NUL-terminated passphrase.
                PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: phrase.baseAddress))
            }
        }
        guard let key else {
            throw .malformed(what: "private key",
                             reason: "not a PKCS#8 PEM private key, or the password does not decrypt it")
        }
        try self.init(owning: key)
    }

    /// A PKCS#8 DER private key.
    init(pkcs8DER der: Data) throws(SignatureError) {
        let key = DERDecoding.decode(der, with: { d2i_AutoPrivateKey(nil, $0, $1) })
        ERR_clear_error()
        guard let key else { throw .malformed(what: "private key", reason: "the decrypted key is not PKCS#8") }
        try self.init(owning: key)
    }

    private init(owning key: OpaquePointer) throws(SignatureError) {
        let handle = PrivateKeyHandle(key)
        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key, &der)
        guard length > 0, let der else {
            ERR_clear_error()
            throw .malformed(what: "private key", reason: "its public half cannot be encoded")
        }
        let spki = Data(bytes: der, count: Int(length))
        CRYPTO_free(der, #fileID, #line)
        publicKey = try VerificationKey(spkiDER: spki)
        self.handle = handle
    }

    /// The signature of `message`: ECDSA (DER) and RSA PKCS#1 v1.5 over
    /// SHA-256, Ed25519 pure.
    public func sign(_ message: Data) throws(SignatureError) -> Data {
        let digest: OpaquePointer? = publicKey.algorithm == .ed25519 ? nil : EVP_sha256()
        guard let signature = handle.sign(message, digest: digest) else {
            throw .rejected(reason: "OpenSSL could not sign with the \(publicKey.algorithm.rawValue) key")
        }
        return signature
    }
}

/// Owns a private `EVP_PKEY`. @unchecked Sendable: never mutated after
/// parsing; each signature uses its own context.
final class PrivateKeyHandle: @unchecked Sendable {
    let key: OpaquePointer

    init(_ key: OpaquePointer) { self.key = key }
    deinit { EVP_PKEY_free(key) }

    func sign(_ message: Data, digest: OpaquePointer?) -> Data? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestSignInit(context, nil, digest, nil, key) == 1 else { return nil }
        return message.withUnsafeBytes { raw -> Data? in
            let bytes = raw.bindMemory(to: UInt8.self).baseAddress
            var length = 0
            guard EVP_DigestSign(context, nil, &length, bytes, raw.count) == 1 else { return nil }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, bytes, raw.count) == 1 else { return nil }
            return Data(signature.prefix(length))
        }
    }
}
