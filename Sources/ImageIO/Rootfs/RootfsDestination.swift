import FastExtract
import FoundationEssentials
import Logging
import OCIModel

/// An unpacked root filesystem: each layer, in order, is streamed through
/// decompression into the rootfs writer (OCI whiteouts, path safety) — never
/// stored. Layers land in a staging directory beside `path`, renamed into
/// place by `commit` only after every blob matched its digest: a digest is
/// known only at the end of its blob, after its entries are on disk, so a
/// failed or interrupted fetch never leaves a tree that looks complete.
///
/// One `RootfsExtraction` carries the whole image: the transfer's thread
/// receives, verifies and decodes layer after layer while one extraction
/// thread applies them, so the writer stays busy across layer boundaries.
public final class RootfsDestination: PathDestination {
    public init(path: String, logger: Logger) {
        super.init(path: path, scope: .oneImage) { try RootfsAttempt(path: $0, logger: logger) }
    }
}

/// One attempt: the staging directory and the extraction into it.
private final class RootfsAttempt: DestinationAttempt {
    private let build: StagedBuild<RootfsExtraction>
    private let logger: Logger
    /// Layers handed to the extraction, for naming the one an extraction error came from.
    private let layers = LayerLog()

    init(path: String, logger: Logger) throws {
        self.logger = logger
        let layers = layers
        build = try StagedBuild(at: path) { directory in
            RootfsExtraction(writer: try RootfsWriter(rootPath: directory.path)) { index, error in
                // Seen while the transfer may already feed a later layer: name this one.
                guard let layer = layers[index] else { return error }
                return LayerFailure(number: layer.number, count: layer.count, digest: layer.digest, underlying: error)
            }
        }
    }

    func hasBlob(_ blob: Descriptor) throws -> Bool { false }

    func putBlob(_ blob: Descriptor, role: BlobRole, feed: BlobFeed) throws -> Descriptor {
        // The config was fetched and decoded while resolving the image.
        guard case .layer(let number, let count) = role else { return blob }
        let extraction = build.writer
        logger.debug("extracting layer \(number) of \(count): \(blob.digest) (\(blob.size) bytes)")
        layers.append((number, count, blob.digest))
        do {
            // The transfer's verifier lets the layer's end through only for matching bytes.
            try feed.push(into: try extraction.layer())
        } catch {
            // The first failure: maybe an earlier layer's, already named by the extraction.
            throw extraction.cancel(error)
        }
        return blob
    }

    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {}

    func commit(_ transferred: TransferredImage) throws {
        // Every layer applied (an extraction failure is a LayerFailure already), then the writer finished.
        try build.writer.finish()
        try build.directory.commit()
    }

    func discard() {
        // Join the extraction thread before its directory goes.
        build.writer.cancel(LayerPipelineError.abandoned)
        build.directory.discard()
    }
}

/// The layers given to the pipeline so far, read by the extraction thread.
/// `@unchecked`: `entries` is only touched under `lock`.
private final class LayerLog: @unchecked Sendable {
    private let lock = PosixLock()
    private var entries: [(number: Int, count: Int, digest: Digest)] = []

    func append(_ entry: (number: Int, count: Int, digest: Digest)) { lock.withLock { entries.append(entry) } }
    subscript(index: Int) -> (number: Int, count: Int, digest: Digest)? {
        lock.withLock { entries.indices.contains(index) ? entries[index] : nil }
    }
}
