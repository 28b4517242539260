import FastExtract
import Foundation
import Logging
import OCIModel

/// An unpacked root filesystem: each layer, in order, is streamed through
/// decompression into the rootfs writer (OCI whiteouts, path safety) — never
/// stored. Layers land in a staging directory beside `path`, renamed into
/// place by `commit` only after every blob matched its digest: a digest is
/// known only at the end of its blob, after its entries are on disk, so a
/// failed or interrupted fetch never leaves a tree that looks complete.
///
/// One `LayerPipeline` carries the whole image: the transfer's thread
/// receives, verifies and decodes layer after layer while one extraction
/// thread applies them, so the writer stays busy across layer boundaries.
public final class RootfsDestination: ImageDestination {
    public let path: String
    private let logger: Logger
    private let readAhead: LayerPipeline.ReadAhead
    private var build: StagedBuild<RootfsWriter>?
    private var pipeline: LayerPipeline?
    /// Layers handed to the pipeline, for naming the one an extraction error came from.
    private let layers = LayerLog()

    public init(path: String, logger: Logger, readAhead: LayerPipeline.ReadAhead = .standard) {
        self.path = path
        self.logger = logger
        self.readAhead = readAhead
    }

    public var scope: DestinationScope { .oneImage }

    public func begin() throws {
        let build = try StagedBuild(at: path) { try RootfsWriter(rootPath: $0.path) }
        self.build = build
        // The transfer's thread does not touch the writer while the pipeline
        // runs, and uses it again only after `finish` joined the extraction thread.
        let sharedWriter = SendableBox(build.writer)
        let layers = layers
        layers.removeAll()
        pipeline = LayerPipeline(readAhead: readAhead) { index, stream in
            do {
                try LayerApplier.apply(from: stream, to: sharedWriter.value)
            } catch {
                // Seen while the transfer may already feed a later layer: name this one.
                guard let layer = layers[index] else { throw error }
                throw LayerFailure(number: layer.number, count: layer.count, digest: layer.digest, underlying: error)
            }
        }
    }

    public func hasBlob(_ blob: Descriptor) throws -> Bool { false }

    public func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        // The config was fetched and decoded while resolving the image.
        guard case .layer(let number, let count) = role else { return blob }
        guard let pipeline else { throw ImageError.io("rootfs destination used before begin()") }
        logger.debug("extracting layer \(number) of \(count): \(blob.digest) (\(blob.size) bytes)")
        layers.append((number, count, blob.digest))
        do {
            // The transfer's verifier (hashing on the pipeline's thread, see
            // `blobHasher`) lets the layer's end through only for matching bytes.
            try feed(try pipeline.layer())
        } catch {
            // The first failure: maybe an earlier layer's, already named by the extraction.
            throw pipeline.cancel(error)
        }
        return blob
    }

    /// Layers are hashed on the pipeline's hashing thread, so receiving,
    /// inflating and hashing them keep three threads busy instead of two.
    public func blobHasher(for blob: Descriptor, role: BlobRole) -> BlobHasher {
        guard case .layer = role, let pipeline else { return SHA256Hasher() }
        return pipeline.hasher()
    }

    public func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {}

    public func commit(_ transferred: TransferredImage) throws {
        guard let build, let pipeline else { throw ImageError.io("rootfs destination committed before begin()") }
        try pipeline.finish()  // every layer applied; an extraction failure is a LayerFailure already
        self.pipeline = nil
        try build.writer.finish()
        try build.directory.commit()
        self.build = nil
    }

    public func discard() {
        // Join the extraction thread before its directory goes.
        pipeline?.cancel(LayerExtractionError.abandoned)
        pipeline = nil
        build?.directory.discard()
        build = nil
    }
}

/// The layers given to the pipeline so far, read by the extraction thread.
/// `@unchecked`: `entries` is only touched under `lock`.
private final class LayerLog: @unchecked Sendable {
    private let lock = PosixLock()
    private var entries: [(number: Int, count: Int, digest: Digest)] = []

    func append(_ entry: (number: Int, count: Int, digest: Digest)) { lock.withLock { entries.append(entry) } }
    func removeAll() { lock.withLock { entries.removeAll() } }
    subscript(index: Int) -> (number: Int, count: Int, digest: Digest)? {
        lock.withLock { entries.indices.contains(index) ? entries[index] : nil }
    }
}
