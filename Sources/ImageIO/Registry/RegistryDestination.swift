import FoundationEssentials
import Logging
import OCIModel
import RegistryClient
import Synchronization

/// A registry repository: blobs first (skipping those the registry has,
/// mounting from `mountFrom` repositories of the same registry where it
/// can), up to `parallelUploads` at once, each streamed on its own
/// connection; child manifests by digest as they complete, and the root
/// under each tag at `commit` — so a tag moves only once everything it names
/// is there. Documents are pushed byte for byte, so an index keeps its
/// digest; with `compressPlainLayers` (docker-archive sources, as upstream)
/// plain-tar layers are gzipped on the way and the transfer rewrites their
/// manifest.
///
/// Blob calls may come from several threads: they share only the
/// thread-safe client and `counters` (a Mutex). Manifests, `begin` and
/// `commit` come from the transfer's own thread.
public final class RegistryDestination: ImageDestination {
    public let client: RegistryClient
    private let tags: [String]
    private let options: PushOptions
    private let logger: Logger
    /// Over all attempts.
    private let counters = Mutex(PushStatistics())

    public var pushStatistics: PushStatistics? { counters.withLock { $0 } }
    /// The tags as the last commit left them (with `.mergePlatform`, each names its index).
    public private(set) var published: [PublishedTag] = []

    /// - Parameter tags: the tags to push the root under; by digest alone when empty.
    public init(client: RegistryClient, tags: [String], options: PushOptions = PushOptions(), logger: Logger) {
        self.client = client
        self.tags = tags
        self.options = options
        self.logger = logger
    }

    public var scope: DestinationScope { .wholeTree }

    public var blobConcurrency: Int { options.parallelUploads }

    public func begin() throws -> DestinationAttempt {
        try client.preparePush()
        return RegistryAttempt(destination: self)
    }

    func hasBlob(_ blob: Descriptor) throws -> Bool {
        if compresses(blob) { return false }  // its pushed digest is known only after compressing
        guard try client.blobExists(blob.digest) else { return false }
        counters.withLock { $0.blobsSkipped += 1 }
        return true
    }

    func putBlob(_ blob: Descriptor, feed: BlobFeed) throws -> Descriptor {
        if compresses(blob) { return try pushCompressed(blob, feed: feed) }
        // A refused mount opens an ordinary upload: that session is used
        // (for the first attempt), not dropped for a second POST.
        var opened: BlobUploadSession?
        for repository in options.mountFrom where repository != client.repository {
            let start: BlobUploadStart
            do {
                start = try client.startUpload(mounting: blob.digest, from: repository)
            } catch let error as RegistryError where Self.isRefusal(error) {
                // No pull access to the origin, say: a mount only saves work.
                logger.debug("mounting \(blob.digest) from \(repository) was refused (\(error)); uploading it")
                continue
            }
            switch start {
            case .mounted:
                counters.withLock { $0.blobsMounted += 1 }
                logger.debug("mounted \(blob.digest) from \(repository)")
                return blob
            case .session(let session):
                logger.debug("\(repository) could not lend \(blob.digest); uploading it")
                opened = session
            }
        }
        try client.withRetries { _ in
            let session = try opened ?? openUpload()
            opened = nil
            let upload = StreamingBlobUpload(
                client: client, session: session, length: blob.size, chunkLimit: options.chunkSize, expected: blob.digest)
            try send(blob, through: upload, feed: feed)
        }
        counters.withLock {
            $0.blobsUploaded += 1
            $0.bytesUploaded += blob.size
        }
        return blob
    }

    /// Gzips a plain-tar layer while uploading it; its digest is known only
    /// at the end, so it is always sent (a registry that has it keeps one copy).
    private func pushCompressed(_ blob: Descriptor, feed: BlobFeed) throws -> Descriptor {
        let uploaded: (digest: Digest, size: Int64) = try client.withRetries { _ in
            let session = try openUpload()
            let upload = StreamingBlobUpload(client: client, session: session, length: nil, chunkLimit: nil, expected: nil)
            try send(blob, through: upload, feed: feed)
            guard let digest = upload.digest else {
                throw ImageError.compression("the compressed upload of \(blob.digest) did not finish")
            }
            return (digest, upload.size)
        }
        counters.withLock {
            $0.blobsUploaded += 1
            $0.bytesUploaded += uploaded.size
        }
        logger.debug("layer \(blob.digest) pushed gzip-compressed as \(uploaded.digest)")
        var pushed = blob
        pushed.mediaType = blob.mediaType == MediaType.dockerLayerTar ? MediaType.dockerLayerTarGzip : MediaType.ociLayerTarGzip
        pushed.digest = uploaded.digest
        pushed.size = uploaded.size
        return pushed
    }

    /// Feeds one upload, gzipping on the way for a compressed one; a blob
    /// the source has as a file (and that goes out as it is) is read by the
    /// upload itself. On any failure the upload's sender is stopped before
    /// the error goes on.
    private func send(_ blob: Descriptor, through upload: StreamingBlobUpload, feed: BlobFeed) throws {
        do {
            if compresses(blob) {
                try feed.push(into: try GzipCompressor(next: upload))
            } else if let file = try feed.openFile() {
                try upload.pull(from: file)
            } else {
                try feed.push(into: upload)
            }
        } catch {
            upload.abandon(error)
            throw error
        }
    }

    private func openUpload() throws -> BlobUploadSession {
        guard case .session(let session) = try client.startUpload() else {
            throw RegistryError.invalidResponse(url: client.registry, reason: "upload answered as a mount")
        }
        return session
    }

    func putChildManifest(_ data: Data, for descriptor: Descriptor) throws {
        try client.putManifest(data, mediaType: descriptor.mediaType, reference: descriptor.digest.description)
    }

    /// The root under each tag (by digest alone when there is none), or
    /// merged into each tag's index (`TagPublisher`).
    func putRoot(_ data: Data, for descriptor: Descriptor) throws {
        published = try TagPublisher(client: client, logger: logger).publish(
            data, descriptor: descriptor, tags: tags, mode: options.tagMode)
    }

    /// A registry's no to a request (a 4xx), as opposed to a failure to reach it.
    private static func isRefusal(_ error: RegistryError) -> Bool {
        switch error {
        case .unauthorized, .notFound: true
        case .httpStatus(let status, _, _): (400..<500).contains(status)
        default: false
        }
    }

    /// Whether a layer is plain tar, to be compressed on the way.
    private func compresses(_ blob: Descriptor) -> Bool {
        options.compressPlainLayers
            && (blob.mediaType == MediaType.ociLayerTar || blob.mediaType == MediaType.dockerLayerTar)
    }
}

/// One push attempt: blobs and child manifests go out as they come; the root
/// is held until `commit`, so the tags move last.
private final class RegistryAttempt: DestinationAttempt {
    private let destination: RegistryDestination
    private var root: (data: Data, descriptor: Descriptor)?

    init(destination: RegistryDestination) { self.destination = destination }

    func hasBlob(_ blob: Descriptor) throws -> Bool { try destination.hasBlob(blob) }

    func putBlob(_ blob: Descriptor, role: BlobRole, feed: BlobFeed) throws -> Descriptor {
        try destination.putBlob(blob, feed: feed)
    }

    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        if isRoot {
            root = (data, descriptor)
        } else {
            try destination.putChildManifest(data, for: descriptor)
        }
    }

    func commit(_ transferred: TransferredImage) throws {
        guard let root else { throw ImageError.io("registry destination committed without a root manifest") }
        try destination.putRoot(root.data, for: root.descriptor)
    }

    /// Blobs already uploaded stay: unreferenced, the registry collects them.
    func discard() {}
}
