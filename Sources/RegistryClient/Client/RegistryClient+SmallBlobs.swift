import FoundationEssentials
import OCIModel

/// Small documents kept as blobs (signature payloads, sigstore bundles,
/// empty configs), read and written whole in memory.
extension RegistryClient {
    /// The blob's bytes, checked against its digest and size; refused when
    /// larger than `limit`.
    public func fetchSmallBlob(_ descriptor: Descriptor, limit: Int64 = 4 << 20) throws -> Data {
        guard descriptor.size >= 0, descriptor.size <= limit else {
            throw RegistryError.invalidResponse(
                url: "blob \(descriptor.digest)", reason: "\(descriptor.size) bytes is more than the \(limit)-byte limit for a document")
        }
        let collector = SmallBlobCollector()
        try fetchBlob(descriptor.digest, into: DigestVerifier(expected: descriptor.digest, size: descriptor.size, next: collector))
        return collector.data
    }

    /// Uploads `data` as one blob unless the repository has it; its digest.
    @discardableResult
    public func pushSmallBlob(_ data: Data) throws -> Digest {
        let digest = SHA256Hasher.digest(of: data)
        if try blobExists(digest) { return digest }
        guard case .session(let session) = try startUpload() else { return digest }
        try completeUpload(session, digest: digest, from: SmallBlobSource(data), finalLength: Int64(data.count))
        return digest
    }
}

private final class SmallBlobCollector: BlobConsumer {
    private(set) var data = Data()
    func consume(_ chunk: UnsafeRawBufferPointer) throws { data.append(contentsOf: chunk) }
    func finish() throws {}
}

/// Hands out an in-memory blob to an upload.
private final class SmallBlobSource: ByteSource {
    private let data: Data
    private var offset = 0

    init(_ data: Data) { self.data = data }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, data.count - offset)
        guard count > 0 else { return 0 }
        data.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }
}
