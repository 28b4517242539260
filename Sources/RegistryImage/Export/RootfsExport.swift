import FastExtract
import Foundation
import Logging

/// Applies an image's layers, in order, into a root filesystem.
///
/// Layers are extracted into a staging directory beside the destination and
/// renamed into place only after every blob matched its digest: a digest is
/// known only at the end of its blob, after its entries are on disk, so a
/// failed or interrupted fetch must never leave a tree that looks complete.
public enum RootfsExport {
    public static func write(
        image: ResolvedImage, from source: ImageSource, to rootfsPath: String,
        progress: TransferProgress, logger: Logger
    ) throws {
        try StagedDirectory.build(at: rootfsPath) { staging in
            let writer = try RootfsWriter(rootPath: staging.path)
            let layers = image.manifest.layers
            for (index, layer) in layers.enumerated() {
                logger.debug("extracting layer \(index + 1) of \(layers.count): \(layer.digest) (\(layer.size) bytes)")
                try apply(layer, number: index + 1, of: layers.count, from: source, to: writer, progress: progress)
            }
            try writer.finish()
        }
    }

    private static func apply(
        _ layer: Descriptor, number: Int, of count: Int, from source: ImageSource, to writer: RootfsWriter,
        progress: TransferProgress
    ) throws {
        let sharedWriter = SendableBox(writer)
        let extraction = LayerExtraction(expected: layer.digest, size: layer.size) { stream in
            try LayerApplier.apply(from: stream, to: sharedWriter.value)
        }
        let label = "layer \(number)/\(count) \(layer.digest.encoded.prefix(12))"
        do {
            try source.streamBlob(layer, into: progress.tracking(label, total: layer.size, next: extraction))
        } catch {
            extraction.cancel(error)
            throw LayerFailure(number: number, count: count, digest: layer.digest, underlying: error)
        }
    }
}

/// Hands a non-Sendable object to the extraction thread. Safe here because
/// the caller's thread does not touch the writer while a layer is applied: it
/// only feeds bytes and then joins the extraction thread.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
