import FoundationEssentials
import CCrypto

/// Incremental SHA-256 over OpenSSL's EVP interface. Owns its `EVP_MD_CTX`.
///
/// `finalize()` returns the digest of everything passed to `update` and leaves
/// the hasher reset, ready for a new message.
public final class SHA256Hasher {
    private let context: OpaquePointer

    public init() {
        // Allocation is the only way these fail; there is no sensible recovery.
        guard let context = EVP_MD_CTX_new() else {
            fatalError("OpenSSL could not allocate a digest context")
        }
        self.context = context
        Self.begin(context)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            fatalError("EVP_DigestUpdate failed for SHA-256")
        }
    }

    public func finalize() -> Digest {
        var hash = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = hash.withUnsafeMutableBufferPointer {
            EVP_DigestFinal_ex(context, $0.baseAddress, &length)
        }
        guard status == 1, length == 32 else { fatalError("EVP_DigestFinal_ex failed for SHA-256") }
        Self.begin(context)
        return Digest(sha256Hex: TextFormatting.lowercaseHex(hash[0..<Int(length)]))
    }

    /// One-shot convenience for small in-memory values (manifests, configs, tests).
    public static func digest(of bytes: UnsafeRawBufferPointer) -> Digest {
        let hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    private static func begin(_ context: OpaquePointer) {
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("EVP_DigestInit_ex failed for SHA-256")
        }
    }
}

extension SHA256Hasher {
    /// The digest of a small document held in memory (a manifest, a config).
    public static func digest(of data: Data) -> Digest {
        data.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
    }
}
