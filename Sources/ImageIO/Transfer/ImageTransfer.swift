import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

/// The one copy path: from an image source to an image destination, for
/// `in`, `out`, `pull`, `push`, `extract` and `copy` alike. It owns what
/// every command needs once: choosing the image (reference, digest,
/// platform) before the destination is touched, verifying every blob and
/// document, progress, the atomic commit (one destination attempt, committed
/// or discarded), starting over when a server refuses to resume a blob,
/// falling back from one source to the next (a registry mirror, then the
/// origin), and the one summary of what a push sent.
public struct ImageTransfer {
    /// The platform to choose from an index (host's when nil).
    public var platform: Platform?
    /// For a one-image destination, the manifest (or nested index) to take
    /// from the source's tree instead of choosing from its root.
    public var digest: Digest?
    /// For a whole-tree destination, also resolve the platform's image (for metadata).
    public var resolvesImage = false
    public var progress: TransferProgress
    public var logger: Logger
    /// How often a refused resume starts the whole transfer over.
    public static let maxRestarts = 2

    public init(platform: Platform? = nil, digest: Digest? = nil, progress: TransferProgress, logger: Logger) {
        self.platform = platform
        self.digest = digest
        self.progress = progress
        self.logger = logger
    }

    /// Copies from the first candidate that succeeds; the last failure is thrown.
    public func copy(from candidates: [SourceCandidate], to destination: ImageDestination) throws -> TransferredImage {
        defer { progress.flush() }
        return try Fallback.first(candidates, label: \.label, logger: logger) { candidate in
            try copyRestarting(from: try candidate.open(), to: destination)
        }
    }

    public func copy(from source: ImageSource, to destination: ImageDestination) throws -> TransferredImage {
        defer { progress.flush() }
        return try copyRestarting(from: source, to: destination)
    }

    /// A blob that dropped mid-way is resumed with `Range` by the client;
    /// when the server cannot resume, its first bytes were already consumed
    /// (decompressed, applied, uploaded) and cannot be fed again, so the
    /// attempt is discarded and started over. Bounded.
    private func copyRestarting(from source: ImageSource, to destination: ImageDestination) throws -> TransferredImage {
        var restarts = 0
        while true {
            do {
                let transferred = try attempt(from: source, to: destination)
                if let statistics = destination.pushStatistics {
                    logger.info("pushed \(transferred.root.digest): \(statistics.blobsUploaded) blobs uploaded (\(ProgressLine.format(statistics.bytesUploaded))), \(statistics.blobsMounted) mounted, \(statistics.blobsSkipped) already present")
                }
                return transferred
            } catch {
                guard Self.isRefusedResume(error), restarts < Self.maxRestarts else { throw error }
                restarts += 1
                logger.warning("\(error); starting the transfer over (\(restarts) of \(Self.maxRestarts))")
            }
        }
    }

    /// Resolves what to copy first, so that a source without the image (a
    /// mirror lacking it, a wrong digest) never touches the destination; then
    /// one destination attempt, committed only when everything matched.
    private func attempt(from source: ImageSource, to destination: ImageDestination) throws -> TransferredImage {
        switch destination.scope {
        case .oneImage:
            let image = try ImageResolver.resolve(source, platform: platform, digest: digest)
            return try attempting(destination) { attempt in
                let stored = try copyManifest(
                    image.manifest, data: image.manifestData, descriptor: image.manifestDescriptor,
                    configData: image.configData, from: source, to: attempt, isRoot: true)
                return TransferredImage(root: stored, image: image, origin: source.blobOrigin)
            }
        case .wholeTree:
            let root = try source.rootDescriptor()
            let rootData = try source.manifestData(for: root)
            return try attempting(destination) { attempt in
                let stored = try copyTree(root, data: rootData, from: source, to: attempt, isRoot: true, depth: 0)
                let image = resolvesImage ? try? ImageResolver.resolve(source, platform: platform, digest: digest) : nil
                return TransferredImage(root: stored, image: image, origin: source.blobOrigin)
            }
        }
    }

    /// Begins an attempt, runs `body` on it, and commits it, or discards it on any failure.
    private func attempting(
        _ destination: ImageDestination, _ body: (Target) throws -> TransferredImage
    ) throws -> TransferredImage {
        let attempt = try destination.begin()
        do {
            let transferred = try body(
                Target(attempt: attempt, scope: destination.scope, blobConcurrency: destination.blobConcurrency))
            try attempt.commit(transferred)
            return transferred
        } catch {
            attempt.discard()
            throw error
        }
    }

    /// Copies everything below `descriptor`, then the document itself.
    /// `data`: the document, when already read.
    private func copyTree(
        _ descriptor: Descriptor, data known: Data? = nil, from source: ImageSource, to destination: Target,
        isRoot: Bool, depth: Int
    ) throws -> Descriptor {
        guard depth < ImageResolver.maximumDepth else { throw ImageError.indexTooDeep }
        let data = try known ?? source.manifestData(for: descriptor)
        switch try ImageResolver.decode(data, descriptor: descriptor) {
        case .index(let index):
            for child in index.manifests {
                guard MediaType.isIndex(child.mediaType) || MediaType.isImageManifest(child.mediaType) else {
                    _ = try copyBlob(BlobCopy(blob: child, role: .other), cancellation: nil, from: source, to: destination)
                    continue
                }
                let stored = try copyTree(child, from: source, to: destination, isRoot: false, depth: depth + 1)
                guard stored.digest == child.digest else {
                    throw ImageError.io("index entry \(child.digest) would change digest when copied (its layers were re-encoded)")
                }
            }
            let stored = Self.documentDescriptor(descriptor, declared: index.mediaType, fallback: MediaType.ociIndex)
            try destination.attempt.putManifest(data, for: stored, isRoot: isRoot)
            return stored
        case .manifest(let manifest):
            return try copyManifest(
                manifest, data: data, descriptor: descriptor, configData: nil, from: source, to: destination,
                isRoot: isRoot)
        }
    }

    /// Copies an image's config and layers, then its manifest — re-encoded
    /// only when the destination changed a layer. `configData`: the config
    /// already fetched and verified while resolving, sent from memory.
    private func copyManifest(
        _ manifest: ImageManifest, data: Data, descriptor: Descriptor, configData: Data?,
        from source: ImageSource, to destination: Target, isRoot: Bool
    ) throws -> Descriptor {
        var manifest = manifest
        let count = manifest.layers.count
        var blobs = [BlobCopy(blob: manifest.config, role: .config, knownData: configData)]
        for (position, layer) in manifest.layers.enumerated() {
            if destination.scope == .wholeTree && MediaType.isForeignLayer(layer.mediaType) {
                logger.debug("not copying non-distributable layer \(layer.digest)")
                continue
            }
            blobs.append(BlobCopy(blob: layer, role: .layer(number: position + 1, count: count), position: position))
        }
        let stored = try copyBlobs(blobs, from: source, to: destination)
        manifest.config = stored[0]
        var rewritten = false
        for (copied, result) in zip(blobs, stored) {
            guard let position = copied.position, result != copied.blob else { continue }
            manifest.layers[position] = result
            rewritten = true
        }
        var document = data
        var storedDescriptor = Self.documentDescriptor(descriptor, declared: manifest.mediaType, fallback: MediaType.ociManifest)
        if rewritten {
            document = try JSONOutput.encode(manifest)
            storedDescriptor.digest = SHA256Hasher.digest(of: document)
            storedDescriptor.size = Int64(document.count)
        }
        try destination.attempt.putManifest(document, for: storedDescriptor, isRoot: isRoot)
        return storedDescriptor
    }

    /// Copies one manifest's blobs; returns them as stored, in order. In
    /// order on this thread, unless both sides allow several at once: then
    /// each distinct blob is copied once, up to `blobConcurrency` at a time,
    /// and the first failure stops the others.
    private func copyBlobs(_ blobs: [BlobCopy], from source: ImageSource, to destination: Target) throws -> [Descriptor] {
        let width = source.allowsConcurrentBlobReads ? destination.blobConcurrency : 1
        guard width > 1, blobs.count > 1 else { return try copyInOrder(blobs, from: source, to: destination) }
        var distinct: [BlobCopy] = []
        var seen = Set<Digest>()
        for copy in blobs where seen.insert(copy.blob.digest).inserted { distinct.append(copy) }
        let results = try ConcurrentWork.map(distinct, width: width) { copy, cancellation in
            try copyBlob(copy, cancellation: cancellation, from: source, to: destination)
        }
        var stored: [Digest: Descriptor] = [:]
        for (copy, result) in zip(distinct, results) { stored[copy.blob.digest] = result }
        return blobs.map { stored[$0.blob.digest] ?? $0.blob }
    }

    /// One blob after another. From a registry, each blob's request goes out
    /// while the one before it streams (`BlobPrefetch`), so a layer's apply
    /// does not wait for the next blob's round-trip.
    private func copyInOrder(_ blobs: [BlobCopy], from source: ImageSource, to destination: Target) throws -> [Descriptor] {
        let prefetches = source.fetchesOverNetwork && source.allowsConcurrentBlobReads
        var upcoming: BlobPrefetch?
        defer { upcoming?.abandon() }
        var stored: [Descriptor] = []
        for (index, copy) in blobs.enumerated() {
            let prefetched = upcoming
            upcoming = nil
            if prefetches, index + 1 < blobs.count, blobs[index + 1].knownData == nil {
                upcoming = BlobPrefetch(blobs[index + 1].blob, from: source)
            }
            defer { prefetched?.abandon() }  // unused when the destination had the blob
            stored.append(try copyBlob(copy, cancellation: nil, prefetched: prefetched, from: source, to: destination))
        }
        return stored
    }

    /// Sends one blob unless the destination has it, verified on the way:
    /// the destination's consumer sees `finish()` only for matching bytes.
    /// A layer's failure names the layer.
    private func copyBlob(
        _ copy: BlobCopy, cancellation: CancellationFlag?, prefetched: BlobPrefetch? = nil, from source: ImageSource,
        to destination: Target
    ) throws -> Descriptor {
        guard case .layer(let number, let count) = copy.role else {
            return try sendBlob(copy, cancellation: cancellation, prefetched: prefetched, from: source, to: destination)
        }
        do {
            return try sendBlob(copy, cancellation: cancellation, prefetched: prefetched, from: source, to: destination)
        } catch let failure as LayerFailure {
            throw failure  // a pipelined destination names the layer an extraction error came from
        } catch {
            throw LayerFailure(number: number, count: count, digest: copy.blob.digest, underlying: error)
        }
    }

    private func sendBlob(
        _ copy: BlobCopy, cancellation: CancellationFlag?, prefetched: BlobPrefetch?, from source: ImageSource,
        to destination: Target
    ) throws -> Descriptor {
        let blob = copy.blob
        if try destination.attempt.hasBlob(blob) {
            logger.debug("blob \(blob.digest) already present")
            return blob
        }
        let label: String
        switch copy.role {
        case .layer(let number, let count): label = "layer \(number)/\(count) \(blob.digest.encoded.prefix(12))"
        case .config, .other: label = "blob \(blob.digest.encoded.prefix(12))"
        }
        if let knownData = copy.knownData {
            return try destination.attempt.putBlob(blob, role: copy.role, feed: BlobFeed(push: { consumer in
                try knownData.withUnsafeBytes { try consumer.consume($0) }
                try consumer.finish()
            }))
        }
        let attempt = destination.attempt
        // Progress, then (among parallel copies) cancellation, then `end`.
        func tracked(ending end: BlobConsumer) -> BlobConsumer {
            let next = cancellation.map { CancellableConsumer($0, next: end) } ?? end
            return progress.tracking(label, total: blob.size, next: next)
        }
        let feed = BlobFeed(
            push: { consumer in
                let verifier = DigestVerifier(expected: blob.digest, size: blob.size, next: tracked(ending: consumer))
                if let prefetched, prefetched.digest == blob.digest, try prefetched.stream(into: verifier) { return }
                try source.streamBlob(blob, into: verifier)
            },
            openFile: {
                // Read at the destination's pace, its bytes still checked (and counted) as they are read.
                guard let file = try source.openBlob(blob) else { return nil }
                let checks = DigestVerifier(
                    expected: blob.digest, size: blob.size, next: tracked(ending: DiscardingConsumer()))
                return ObservedByteSource(file, size: blob.size, observer: checks)
            })
        return try attempt.putBlob(blob, role: copy.role, feed: feed)
    }

    /// A document's media type as stored: the descriptor's when it names a
    /// manifest or index, else the document's own field, else `fallback`.
    private static func documentDescriptor(_ descriptor: Descriptor, declared: String?, fallback: String) -> Descriptor {
        var result = descriptor
        if !(MediaType.isIndex(descriptor.mediaType) || MediaType.isImageManifest(descriptor.mediaType)) {
            result.mediaType = declared ?? fallback
        }
        return result
    }

    /// Whether `error` (possibly wrapped with the layer it happened in) is a
    /// server refusing to resume a blob.
    static func isRefusedResume(_ error: any Error) -> Bool {
        let cause = (error as? LayerFailure)?.underlying ?? error
        guard let registryError = cause as? RegistryError, case .resumeRefused = registryError else { return false }
        return true
    }
}

/// The attempt a transfer writes into, with what its destination allows.
private struct Target {
    var attempt: DestinationAttempt
    var scope: DestinationScope
    var blobConcurrency: Int
}

/// One blob of a manifest to copy: what, why, and where in `layers` it sits.
private struct BlobCopy {
    var blob: Descriptor
    var role: BlobRole
    /// The bytes, already fetched and verified (a config read while resolving).
    var knownData: Data? = nil
    var position: Int? = nil
}

/// One place to copy from, opened only when tried (a mirror, then the origin).
public struct SourceCandidate {
    public var label: String
    public var open: () throws -> ImageSource

    public init(label: String, open: @escaping () throws -> ImageSource) {
        self.label = label
        self.open = open
    }
}
