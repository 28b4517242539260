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
public final class RootfsDestination: ImageDestination {
    public let path: String
    private let logger: Logger
    private var build: StagedBuild<RootfsWriter>?

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    public var scope: DestinationScope { .oneImage }

    public func begin() throws {
        build = try StagedBuild(at: path) { try RootfsWriter(rootPath: $0.path) }
    }

    public func hasBlob(_ blob: Descriptor) throws -> Bool { false }

    public func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        // The config was fetched and decoded while resolving the image.
        guard case .layer(let number, let count) = role else { return blob }
        guard let writer = build?.writer else { throw ImageError.io("rootfs destination used before begin()") }
        logger.debug("extracting layer \(number) of \(count): \(blob.digest) (\(blob.size) bytes)")
        // The transfer verifies the bytes in front of this consumer.
        let sharedWriter = SendableBox(writer)
        let extraction = LayerExtraction(expected: nil, size: nil) { stream in
            try LayerApplier.apply(from: stream, to: sharedWriter.value)
        }
        do {
            try feed(extraction)
        } catch {
            extraction.cancel(error)
            throw error
        }
        return blob
    }

    public func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {}

    public func commit(_ transferred: TransferredImage) throws {
        guard let build else { throw ImageError.io("rootfs destination committed before begin()") }
        try build.writer.finish()
        try build.directory.commit()
        self.build = nil
    }

    public func discard() {
        build?.directory.discard()
        build = nil
    }
}

/// Hands a non-Sendable object to the extraction thread. Safe here because
/// the caller's thread does not touch the writer while a layer is applied: it
/// only feeds bytes and then joins the extraction thread.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
