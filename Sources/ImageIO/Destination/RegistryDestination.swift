import FastExtract
import Foundation
import Logging
import OCIModel
import RegistryClient

/// A registry repository: blobs first (skipping those the registry has,
/// mounting from `mountFrom` repositories of the same registry where it
/// can), child manifests by digest as they complete, and the root under each
/// tag at `commit` — so a tag moves only once everything it names is there.
/// Documents are pushed byte for byte, so an index keeps its digest; with
/// `compressPlainLayers` (docker-archive sources, as upstream) plain-tar
/// layers are gzipped on the way and the transfer rewrites their manifest.
public final class RegistryDestination: ImageDestination {
    private let client: RegistryClient
    private let tags: [String]
    private let options: PushOptions
    private let logger: Logger
    private var root: (data: Data, descriptor: Descriptor)?
    public private(set) var statistics = PushStatistics()

    /// - Parameter tags: the tags to push the root under; by digest alone when empty.
    public init(client: RegistryClient, tags: [String], options: PushOptions = PushOptions(), logger: Logger) {
        self.client = client
        self.tags = tags
        self.options = options
        self.logger = logger
    }

    public var scope: DestinationScope { .wholeTree }

    public func begin() throws {
        try client.preparePush()
        root = nil
    }

    public func hasBlob(_ blob: Descriptor) throws -> Bool {
        if compresses(blob) { return false }  // its pushed digest is known only after compressing
        guard try client.blobExists(blob.digest) else { return false }
        statistics.blobsSkipped += 1
        return true
    }

    public func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        if compresses(blob) { return try pushCompressed(blob, feed: feed) }
        for repository in options.mountFrom where repository != client.repository {
            if case .mounted = try client.startUpload(mounting: blob.digest, from: repository) {
                statistics.blobsMounted += 1
                logger.debug("mounted \(blob.digest) from \(repository)")
                return blob
            }
            // The registry opened a plain upload instead; it expires unused.
        }
        try client.withRetries { _ in
            guard case .session(let session) = try client.startUpload() else {
                throw RegistryError.invalidResponse(url: client.registry, reason: "upload answered as a mount")
            }
            try feed(ChunkedBlobUpload(client: client, session: session, chunkSize: options.chunkSize, expected: blob.digest))
        }
        statistics.blobsUploaded += 1
        statistics.bytesUploaded += blob.size
        return blob
    }

    /// Gzips a plain-tar layer while uploading it; its digest is known only
    /// at the end, so it is always sent (a registry that has it keeps one copy).
    private func pushCompressed(_ blob: Descriptor, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        let uploaded: (digest: Digest, size: Int64) = try client.withRetries { _ in
            guard case .session(let session) = try client.startUpload() else {
                throw RegistryError.invalidResponse(url: client.registry, reason: "upload answered as a mount")
            }
            let upload = ChunkedBlobUpload(client: client, session: session, chunkSize: options.chunkSize, expected: nil)
            try feed(try GzipCompressor(next: upload))
            guard let digest = upload.digest else {
                throw ImageError.compression("the compressed upload of \(blob.digest) did not finish")
            }
            return (digest, upload.size)
        }
        statistics.blobsUploaded += 1
        statistics.bytesUploaded += uploaded.size
        logger.debug("layer \(blob.digest) pushed gzip-compressed as \(uploaded.digest)")
        var pushed = blob
        pushed.mediaType = blob.mediaType == MediaType.dockerLayerTar ? MediaType.dockerLayerTarGzip : MediaType.ociLayerTarGzip
        pushed.digest = uploaded.digest
        pushed.size = uploaded.size
        return pushed
    }

    public func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        if isRoot {
            root = (data, descriptor)
        } else {
            try client.putManifest(data, mediaType: descriptor.mediaType, reference: descriptor.digest.description)
        }
    }

    public func commit(_ transferred: TransferredImage) throws {
        guard let root else { throw ImageError.io("registry destination committed without a root manifest") }
        for reference in tags.isEmpty ? [root.descriptor.digest.description] : tags {
            try client.putManifest(root.data, mediaType: root.descriptor.mediaType, reference: reference)
            logger.info("pushed \(client.registry)/\(client.repository):\(reference) (\(root.descriptor.digest))")
        }
    }

    /// Blobs already uploaded stay: unreferenced, the registry collects them.
    public func discard() { root = nil }

    /// Whether a layer is plain tar, to be compressed on the way.
    private func compresses(_ blob: Descriptor) -> Bool {
        options.compressPlainLayers
            && (blob.mediaType == MediaType.ociLayerTar || blob.mediaType == MediaType.dockerLayerTar)
    }
}
