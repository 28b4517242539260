import CCrypto
import FoundationEssentials
import OCIModel

/// A public key that checks signatures: the one Swift owner of an OpenSSL
/// `EVP_PKEY` used for verification. The algorithms are cosign's: ECDSA P-256
/// (SHA-256), P-384 (SHA-384, or SHA-256 as cosign signs by default), RSA
/// PKCS#1 v1.5 with SHA-256 (2048 to 4096 bits) and Ed25519 (pure).
public struct VerificationKey: Sendable, Hashable {
    public enum Algorithm: String, Sendable {
        case ecdsaP256 = "ECDSA P-256"
        case ecdsaP384 = "ECDSA P-384"
        case rsa = "RSA"
        case ed25519 = "Ed25519"
    }

    public let algorithm: Algorithm
    /// The DER SubjectPublicKeyInfo.
    public let spkiDER: Data
    private let handle: PublicKeyHandle

    /// A "PUBLIC KEY" PEM block (SubjectPublicKeyInfo), as `cosign.pub`.
    public init(pem: String) throws(SignatureError) {
        let key = try Self.withBIO(Data(pem.utf8)) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        guard let key else { throw .malformed(what: "public key", reason: "not a PEM \"PUBLIC KEY\" block") }
        try self.init(owning: key)
    }

    /// A DER SubjectPublicKeyInfo.
    public init(spkiDER: Data) throws(SignatureError) {
        guard let key = DERDecoding.decode(spkiDER, with: { d2i_PUBKEY(nil, $0, $1) }) else {
            throw .malformed(what: "public key", reason: "not a DER SubjectPublicKeyInfo")
        }
        try self.init(owning: key)
    }

    /// The subject public key of a DER X.509 certificate.
    public init(certificateDER: Data) throws(SignatureError) {
        guard let certificate = DERDecoding.decode(certificateDER, with: { d2i_X509(nil, $0, $1) }) else {
            throw .malformed(what: "certificate", reason: "not a DER X.509 certificate")
        }
        defer { X509_free(certificate) }
        guard let key = X509_get_pubkey(certificate) else {
            ERR_clear_error()
            throw .malformed(what: "certificate", reason: "its public key cannot be read")
        }
        try self.init(owning: key)
    }

    /// Takes ownership of `key` (freed here on refusal, else by the handle).
    private init(owning key: OpaquePointer) throws(SignatureError) {
        let handle = PublicKeyHandle(key)
        algorithm = try Self.algorithm(of: key)
        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key, &der)
        guard length > 0, let der else {
            ERR_clear_error()
            throw .malformed(what: "public key", reason: "cannot be encoded")
        }
        spkiDER = Data(bytes: der, count: Int(length))
        CRYPTO_free(der, #fileID, #line)
        self.handle = handle
    }

    /// `sha256:<hex of the DER SubjectPublicKeyInfo>`: how a key is named in output.
    public var fingerprint: String { SHA256Hasher.digest(of: spkiDER).description }

    /// The key as a "PUBLIC KEY" PEM block.
    public var pem: String {
        let base64 = spkiDER.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PUBLIC KEY-----\n\(base64)\n-----END PUBLIC KEY-----\n"
    }

    /// Whether `signature` signs `message` under this key, with any hash the
    /// key's algorithm allows (ECDSA signatures are DER, as cosign writes them).
    public func verify(signature: Data, message: Data) -> Bool {
        let digests: [OpaquePointer?] = switch algorithm {
        case .ecdsaP256, .rsa: [EVP_sha256()]
        case .ecdsaP384: [EVP_sha384(), EVP_sha256()]
        case .ed25519: [nil]
        }
        return digests.contains { handle.verify(signature: signature, message: message, digest: $0) }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.spkiDER == rhs.spkiDER }
    public func hash(into hasher: inout Hasher) { hasher.combine(spkiDER) }

    private static func algorithm(of key: OpaquePointer) throws(SignatureError) -> Algorithm {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_ED25519:
            return .ed25519
        case EVP_PKEY_RSA:
            let bits = EVP_PKEY_get_bits(key)
            guard (2048...4096).contains(bits) else {
                throw .malformed(what: "public key", reason: "RSA keys must have 2048 to 4096 bits, not \(bits)")
            }
            return .rsa
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
                ERR_clear_error()
                throw .malformed(what: "public key", reason: "EC key without a named curve")
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch curve {
            case "prime256v1", "P-256": return .ecdsaP256
            case "secp384r1", "P-384": return .ecdsaP384
            default: throw .malformed(what: "public key", reason: "EC curve \(curve) is not P-256 or P-384")
            }
        default:
            throw .malformed(what: "public key", reason: "not an ECDSA, RSA or Ed25519 key")
        }
    }

    static func withBIO<T>(_ bytes: Data, _ body: (OpaquePointer) -> T) throws(SignatureError) -> T {
        let result: T? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
        ERR_clear_error()
        guard let result else { throw .malformed(what: "key", reason: "out of memory") }
        return result
    }
}

/// Owns an `EVP_PKEY`. @unchecked Sendable: the key is never mutated after
/// parsing, and OpenSSL allows concurrent verifications with one key.
final class PublicKeyHandle: @unchecked Sendable {
    let key: OpaquePointer

    init(_ key: OpaquePointer) { self.key = key }
    deinit { EVP_PKEY_free(key) }

    func verify(signature: Data, message: Data, digest: OpaquePointer?) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, key) == 1 else { return false }
        let status = signature.withUnsafeBytes { signatureBytes in
            message.withUnsafeBytes { messageBytes in
                EVP_DigestVerify(context,
                                 signatureBytes.bindMemory(to: UInt8.self).baseAddress, signatureBytes.count,
                                 messageBytes.bindMemory(to: UInt8.self).baseAddress, messageBytes.count)
            }
        }
        return status == 1
    }
}
