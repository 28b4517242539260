/// Where a `DigestVerifier` computes the SHA-256 of the bytes it passes on:
/// inline on the caller's thread (`SHA256Hasher`), or on a thread of its own
/// (a rootfs pipeline's hashing thread) so that receiving, decoding and
/// hashing a layer share the cores. Either way the one verifier compares.
public protocol BlobHasher: AnyObject {
    func update(_ bytes: UnsafeRawBufferPointer) throws
    /// The digest of everything given to `update` since the last `finalize`.
    func finalize() throws -> Digest
}

extension SHA256Hasher: BlobHasher {}
