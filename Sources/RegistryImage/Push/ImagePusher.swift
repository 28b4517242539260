import FastExtract
import Foundation
import Logging

/// Pushes an image from any `ImageSource` to one repository: blobs first
/// (skipping those the registry has, mounting where it can), then child
/// manifests by digest, then the root manifest or index under each tag.
/// Documents are pushed byte for byte, so an index keeps its digest; only an
/// image whose plain-tar layers are compressed on the way gets a new
/// manifest (compressed digests and sizes, gzip media type; the config and
/// its diff_ids are unchanged).
public final class ImagePusher {
    private let source: ImageSource
    private let client: RegistryClient
    private let options: PushOptions
    private let progress: TransferProgress
    private let logger: Logger
    public private(set) var statistics = PushStatistics()

    public init(source: ImageSource, client: RegistryClient, options: PushOptions = PushOptions(),
                progress: TransferProgress = TransferProgress(enabled: false),
                logger: Logger = Logger(label: "registry-image.push")) {
        self.source = source
        self.client = client
        self.options = options
        self.progress = progress
        self.logger = logger
    }

    /// Pushes everything, then the root document under each of `tags` (by
    /// digest alone when `tags` is empty). Returns the root's descriptor as
    /// pushed: its digest is the one the registry now serves for the tags.
    @discardableResult
    public func push(tags: [String]) throws -> Descriptor {
        try client.preparePush()
        let root = try pushTree(try source.rootDescriptor())
        let mediaType = root.descriptor.mediaType
        for reference in tags.isEmpty ? [root.descriptor.digest.description] : tags {
            try client.putManifest(root.data, mediaType: mediaType, reference: reference)
            logger.info("pushed \(client.registry)/\(client.repository):\(reference) (\(root.descriptor.digest))")
        }
        return root.descriptor
    }

    /// Pushes what `descriptor` refers to (not the document itself) and
    /// returns the document to push, possibly rewritten.
    private func pushTree(_ descriptor: Descriptor) throws -> (data: Data, descriptor: Descriptor) {
        let data = try source.manifestData(for: descriptor)
        let kind: ManifestKind
        do {
            kind = try ManifestKind.decode(data, mediaType: descriptor.mediaType)
        } catch {
            throw PushError.unsupportedManifest("\(descriptor.digest): \(error)")
        }
        switch kind {
        case .index(let index):
            for child in index.manifests {
                guard MediaType.isIndex(child.mediaType) || MediaType.isImageManifest(child.mediaType) else {
                    _ = try pushBlob(child)
                    continue
                }
                let pushed = try pushTree(child)
                guard pushed.descriptor.digest == child.digest else {
                    throw PushError.unsupportedManifest("index entry \(child.digest) would change digest on push")
                }
                try client.putManifest(pushed.data, mediaType: child.mediaType, reference: child.digest.description)
            }
            var result = descriptor
            result.mediaType = Self.documentType(descriptor.mediaType, declared: index.mediaType, fallback: MediaType.ociIndex)
            return (data, result)
        case .manifest(var manifest):
            _ = try pushBlob(manifest.config)
            var rewritten = false
            for position in manifest.layers.indices {
                let layer = manifest.layers[position]
                if MediaType.isForeignLayer(layer.mediaType) {
                    logger.debug("not pushing non-distributable layer \(layer.digest)")
                    continue
                }
                let pushed = try pushBlob(layer)
                if pushed != layer {
                    manifest.layers[position] = pushed
                    rewritten = true
                }
            }
            var result = descriptor
            result.mediaType = Self.documentType(descriptor.mediaType, declared: manifest.mediaType, fallback: MediaType.ociManifest)
            guard rewritten else { return (data, result) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let newData = try encoder.encode(manifest)
            result.digest = SHA256Hasher.digest(of: newData)
            result.size = Int64(newData.count)
            return (newData, result)
        }
    }

    private static func documentType(_ descriptorType: String, declared: String?, fallback: String) -> String {
        if MediaType.isIndex(descriptorType) || MediaType.isImageManifest(descriptorType) { return descriptorType }
        return declared ?? fallback
    }

    /// Whether a layer is plain tar, to be compressed on the way.
    private func compresses(_ descriptor: Descriptor) -> Bool {
        options.compressPlainLayers
            && (descriptor.mediaType == MediaType.ociLayerTar || descriptor.mediaType == Self.dockerLayerTar)
    }

    private static let dockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar"

    /// Uploads one blob unless the registry has it; returns its descriptor as
    /// pushed (changed only when compressed on the way).
    private func pushBlob(_ descriptor: Descriptor) throws -> Descriptor {
        if compresses(descriptor) { return try pushCompressed(descriptor) }
        if try client.blobExists(descriptor.digest) {
            statistics.blobsSkipped += 1
            logger.debug("blob \(descriptor.digest) already present")
            return descriptor
        }
        for repository in options.mountFrom where repository != client.repository {
            if case .mounted = try client.startUpload(mounting: descriptor.digest, from: repository) {
                statistics.blobsMounted += 1
                logger.debug("mounted \(descriptor.digest) from \(repository)")
                return descriptor
            }
            // The registry opened a plain upload instead; it expires unused.
        }
        try client.withRetries { _ in
            guard case .session(let session) = try client.startUpload() else {
                throw RegistryError.invalidResponse(url: client.registry, reason: "upload answered as a mount")
            }
            let upload = ChunkedBlobUpload(client: client, session: session, chunkSize: options.chunkSize,
                                           expected: descriptor.digest)
            try source.streamBlob(descriptor, into: tracked(descriptor, upload))
        }
        statistics.blobsUploaded += 1
        statistics.bytesUploaded += descriptor.size
        return descriptor
    }

    /// Gzips a plain-tar layer while uploading it; its digest is known only
    /// at the end, so it is always sent (a registry that has it keeps one copy).
    private func pushCompressed(_ descriptor: Descriptor) throws -> Descriptor {
        let uploaded: (digest: Digest, size: Int64) = try client.withRetries { _ in
            guard case .session(let session) = try client.startUpload() else {
                throw RegistryError.invalidResponse(url: client.registry, reason: "upload answered as a mount")
            }
            let upload = ChunkedBlobUpload(client: client, session: session, chunkSize: options.chunkSize, expected: nil)
            let compressor = try GzipCompressor(next: upload)
            let verifier = DigestVerifier(expected: descriptor.digest, size: descriptor.size, next: compressor)
            try source.streamBlob(descriptor, into: tracked(descriptor, verifier))
            guard let digest = upload.digest else {
                throw PushError.compression("the compressed upload of \(descriptor.digest) did not finish")
            }
            return (digest, upload.size)
        }
        statistics.blobsUploaded += 1
        statistics.bytesUploaded += uploaded.size
        logger.debug("layer \(descriptor.digest) pushed gzip-compressed as \(uploaded.digest)")
        var pushed = descriptor
        pushed.mediaType = descriptor.mediaType == Self.dockerLayerTar ? MediaType.dockerLayerTarGzip : MediaType.ociLayerTarGzip
        pushed.digest = uploaded.digest
        pushed.size = uploaded.size
        return pushed
    }

    private func tracked(_ descriptor: Descriptor, _ next: BlobConsumer) -> BlobConsumer {
        progress.tracking("pushing \(descriptor.digest.encoded.prefix(12))", total: descriptor.size, next: next)
    }
}
