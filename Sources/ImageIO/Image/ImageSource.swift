import FoundationEssentials
import OCIModel

/// Where an image's manifests and blobs come from: a registry, an OCI layout,
/// a docker-archive or an OCI archive tarball. Sources are read by one thread
/// at a time unless an implementation says otherwise
/// (`allowsConcurrentBlobReads`).
public protocol ImageSource: AnyObject {
    /// What the source names: an image index or an image manifest.
    func rootDescriptor() throws -> Descriptor
    /// A manifest or index document, verified against `descriptor` (digest and size).
    func manifestData(for descriptor: Descriptor) throws -> Data
    /// A blob's raw bytes, in order, then `finish()`. Not verified here: the
    /// caller wraps `consumer` with a verifier (it may also need to inflate).
    func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws
    /// Whether `streamBlob` may run on several threads at once (each call
    /// then reads through its own file descriptor or connection), while
    /// manifests are still read by one thread.
    var allowsConcurrentBlobReads: Bool { get }
    /// Whether each blob costs a network round-trip before its first byte
    /// (a registry), so the transfer requests the next blob early.
    var fetchesOverNetwork: Bool { get }
    /// The registry repository this source's blobs are known to be in, so a
    /// push to the same registry can mount them instead of sending them.
    var blobOrigin: BlobOrigin? { get }
    /// A blob's raw bytes to read at the reader's pace (a file on disk), or
    /// nil when the source can only stream them. Not verified here either.
    func openBlob(_ descriptor: Descriptor) throws -> ByteSource?
}

extension ImageSource {
    public var allowsConcurrentBlobReads: Bool { false }
    public var fetchesOverNetwork: Bool { false }
    public var blobOrigin: BlobOrigin? { nil }
    public func openBlob(_ descriptor: Descriptor) throws -> ByteSource? { nil }
}

extension ImageSource {
    /// A small blob (a config) read whole and verified against its descriptor.
    public func blobData(for descriptor: Descriptor, limit: Int64 = 64 << 20) throws -> Data {
        guard descriptor.size <= limit else {
            throw ImageError.io("blob \(descriptor.digest) is \(descriptor.size) bytes, larger than the \(limit)-byte limit for documents")
        }
        let collector = DataCollector()
        try streamBlob(descriptor, into: DigestVerifier(expected: descriptor.digest, size: descriptor.size, next: collector))
        return collector.data
    }

    /// Streams a blob through a verifier: `consumer.finish()` runs only when the
    /// bytes match the descriptor's digest and size.
    public func streamVerifiedBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try streamBlob(descriptor, into: DigestVerifier(expected: descriptor.digest, size: descriptor.size, next: consumer))
    }
}

/// Gathers a small blob in memory.
final class DataCollector: BlobConsumer {
    private(set) var data = Data()
    func consume(_ chunk: UnsafeRawBufferPointer) throws { data.append(contentsOf: chunk) }
    func finish() throws {}
}
