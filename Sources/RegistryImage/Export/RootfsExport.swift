import FastExtract
import Foundation
import Logging

/// Applies an image's layers, in order, into a root filesystem.
///
/// Layers are extracted into a staging directory beside the destination and
/// renamed into place only after every blob matched its digest: a digest is
/// known only at the end of its blob, after its entries are on disk, so a
/// failed or interrupted fetch must never leave a tree that looks complete.
///
/// One `LayerPipeline` carries the whole image: this thread receives, hashes
/// and decodes layer after layer while one extraction thread applies them, so
/// the writer stays busy across layer boundaries.
public enum RootfsExport {
    public static func write(
        image: ResolvedImage, from source: ImageSource, to rootfsPath: String,
        progress: TransferProgress, logger: Logger, readAhead: LayerPipeline.ReadAhead = .standard
    ) throws {
        try StagedDirectory.build(at: rootfsPath) { staging in
            let writer = try RootfsWriter(rootPath: staging.path)
            let layers = image.manifest.layers
            let sharedWriter = SendableBox(writer)
            let pipeline = LayerPipeline(readAhead: readAhead) { index, stream in
                do {
                    try LayerApplier.apply(from: stream, to: sharedWriter.value)
                } catch {
                    // Reported while this thread may already feed a later layer: name this one.
                    throw LayerFailure(number: index + 1, count: layers.count, digest: layers[index].digest, underlying: error)
                }
            }
            for (index, layer) in layers.enumerated() {
                logger.debug("extracting layer \(index + 1) of \(layers.count): \(layer.digest) (\(layer.size) bytes)")
                let label = "layer \(index + 1)/\(layers.count) \(layer.digest.encoded.prefix(12))"
                do {
                    let consumer = try pipeline.layer(expected: layer.digest, size: layer.size)
                    try source.streamBlob(layer, into: progress.tracking(label, total: layer.size, next: consumer))
                } catch {
                    let first = pipeline.cancel(error)
                    if first is LayerFailure { throw first }
                    throw LayerFailure(number: index + 1, count: layers.count, digest: layer.digest, underlying: first)
                }
            }
            try pipeline.finish()  // every failure of the extraction thread is a LayerFailure already
            try writer.finish()
        }
    }
}

/// Hands a non-Sendable object to the extraction thread. Safe here because
/// the caller's thread does not touch the writer while the pipeline runs: it
/// only feeds bytes, and uses the writer again after the pipeline's `finish`
/// joined the extraction thread.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
