import FastExtract
import Foundation
import Logging
import OCIModel
import RegistryClient

/// The one copy path: from an image source to an image destination, for
/// `in`, `out`, `pull`, `push`, `extract` and `copy` alike. It owns what
/// every command needs once: choosing the image (reference, digest,
/// platform), verifying every blob and document, progress, the atomic
/// commit (through the destination's begin/commit/discard), starting over
/// when a server refuses to resume a blob, and falling back from one source
/// to the next (a registry mirror, then the origin).
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
                return try attempt(from: source, to: destination)
            } catch {
                guard Self.isRefusedResume(error), restarts < Self.maxRestarts else { throw error }
                restarts += 1
                logger.warning("\(error); starting the transfer over (\(restarts) of \(Self.maxRestarts))")
            }
        }
    }

    private func attempt(from source: ImageSource, to destination: ImageDestination) throws -> TransferredImage {
        try destination.begin()
        do {
            let transferred: TransferredImage
            switch destination.scope {
            case .oneImage:
                let image = try ImageResolver.resolve(source, platform: platform, digest: digest)
                let stored = try copyManifest(
                    image.manifest, data: image.manifestData, descriptor: image.manifestDescriptor,
                    configData: image.configData, from: source, to: destination, isRoot: true)
                transferred = TransferredImage(root: stored, image: image)
            case .wholeTree:
                let root = try source.rootDescriptor()
                let stored = try copyTree(root, from: source, to: destination, isRoot: true, depth: 0)
                let image = resolvesImage ? try? ImageResolver.resolve(source, platform: platform, digest: digest) : nil
                transferred = TransferredImage(root: stored, image: image)
            }
            try destination.commit(transferred)
            return transferred
        } catch {
            destination.discard()
            throw error
        }
    }

    /// Copies everything below `descriptor`, then the document itself.
    private func copyTree(
        _ descriptor: Descriptor, from source: ImageSource, to destination: ImageDestination, isRoot: Bool, depth: Int
    ) throws -> Descriptor {
        guard depth < ImageResolver.maximumDepth else { throw ImageError.indexTooDeep }
        let data = try source.manifestData(for: descriptor)
        switch try ImageResolver.decode(data, descriptor: descriptor) {
        case .index(let index):
            for child in index.manifests {
                guard MediaType.isIndex(child.mediaType) || MediaType.isImageManifest(child.mediaType) else {
                    _ = try copyBlob(child, role: .other, from: source, to: destination)
                    continue
                }
                let stored = try copyTree(child, from: source, to: destination, isRoot: false, depth: depth + 1)
                guard stored.digest == child.digest else {
                    throw ImageError.io("index entry \(child.digest) would change digest when copied (its layers were re-encoded)")
                }
            }
            let stored = Self.documentDescriptor(descriptor, declared: index.mediaType, fallback: MediaType.ociIndex)
            try destination.putManifest(data, for: stored, isRoot: isRoot)
            return stored
        case .manifest(let manifest):
            return try copyManifest(
                manifest, data: data, descriptor: descriptor, configData: nil, from: source, to: destination,
                isRoot: isRoot)
        }
    }

    /// Copies an image's config and layers (in order), then its manifest —
    /// re-encoded only when the destination changed a layer. `configData`:
    /// the config already fetched and verified while resolving, sent from memory.
    private func copyManifest(
        _ manifest: ImageManifest, data: Data, descriptor: Descriptor, configData: Data?,
        from source: ImageSource, to destination: ImageDestination, isRoot: Bool
    ) throws -> Descriptor {
        var manifest = manifest
        manifest.config = try copyBlob(
            manifest.config, role: .config, knownData: configData, from: source, to: destination)
        var rewritten = false
        let count = manifest.layers.count
        for position in manifest.layers.indices {
            let layer = manifest.layers[position]
            if destination.scope == .wholeTree && MediaType.isForeignLayer(layer.mediaType) {
                logger.debug("not copying non-distributable layer \(layer.digest)")
                continue
            }
            let role = BlobRole.layer(number: position + 1, count: count)
            let stored: Descriptor
            do {
                stored = try copyBlob(layer, role: role, from: source, to: destination)
            } catch let failure as LayerFailure {
                throw failure  // a pipelined destination names the layer an extraction error came from
            } catch {
                throw LayerFailure(number: position + 1, count: count, digest: layer.digest, underlying: error)
            }
            if stored != layer {
                manifest.layers[position] = stored
                rewritten = true
            }
        }
        var stored = Self.documentDescriptor(descriptor, declared: manifest.mediaType, fallback: MediaType.ociManifest)
        var document = data
        if rewritten {
            document = try JSONOutput.encode(manifest)
            stored.digest = SHA256Hasher.digest(of: document)
            stored.size = Int64(document.count)
        }
        try destination.putManifest(document, for: stored, isRoot: isRoot)
        return stored
    }

    /// Sends one blob unless the destination has it, verified on the way:
    /// the destination's consumer sees `finish()` only for matching bytes.
    private func copyBlob(
        _ blob: Descriptor, role: BlobRole, knownData: Data? = nil, from source: ImageSource,
        to destination: ImageDestination
    ) throws -> Descriptor {
        if try destination.hasBlob(blob) {
            logger.debug("blob \(blob.digest) already present")
            return blob
        }
        let label: String
        switch role {
        case .layer(let number, let count): label = "layer \(number)/\(count) \(blob.digest.encoded.prefix(12))"
        case .config, .other: label = "blob \(blob.digest.encoded.prefix(12))"
        }
        if let knownData {
            return try destination.putBlob(blob, role: role) { consumer in
                try knownData.withUnsafeBytes { try consumer.consume($0) }
                try consumer.finish()
            }
        }
        return try destination.putBlob(blob, role: role) { consumer in
            let tracked = progress.tracking(label, total: blob.size, next: consumer)
            let hasher = destination.blobHasher(for: blob, role: role)
            try source.streamBlob(blob, into: DigestVerifier(expected: blob.digest, size: blob.size, hasher: hasher, next: tracked))
        }
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

/// One place to copy from, opened only when tried (a mirror, then the origin).
public struct SourceCandidate {
    public var label: String
    public var open: () throws -> ImageSource

    public init(label: String, open: @escaping () throws -> ImageSource) {
        self.label = label
        self.open = open
    }
}
