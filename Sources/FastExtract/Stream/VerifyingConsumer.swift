import OCIModel

/// A consumer that checks the blob's digest and size itself before it lets
/// its downstream see the blob's end, so the producer need not put a
/// `DigestVerifier` in front of it (which would hash on the producer's
/// thread; a `LayerPipeline` hashes on a thread of its own).
public protocol VerifyingConsumer: BlobConsumer {
    /// Whether this consumer verifies `digest`.
    func verifies(_ digest: Digest) -> Bool
}
