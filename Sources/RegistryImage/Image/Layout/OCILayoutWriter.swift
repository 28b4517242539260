import FastExtract
import Foundation

/// Writes an OCI image layout: `oci-layout`, `blobs/sha256/…`, then
/// `index.json` last (renamed into place), so a layout is complete only once
/// `finish` ran. Blobs stream straight to their final files through a
/// verifier; documents are written byte for byte as received.
public final class OCILayoutWriter {
    public let directory: URL
    private var blobsDirectory: URL { directory.appendingPathComponent("blobs/sha256") }

    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        } catch {
            throw ImageError.io("cannot create \(directory.path): \(error.localizedDescription)")
        }
    }

    private func blobPath(_ digest: Digest) -> String { blobsDirectory.appendingPathComponent(digest.encoded).path }

    /// Whether the blob is already present with the right size (it was verified when written).
    public func hasBlob(_ descriptor: Descriptor) -> Bool {
        DirectoryFileStore(directory: directory).size(of: DirectoryFileStore.blobPath(descriptor.digest)) == descriptor.size
    }

    /// A consumer that writes the blob, verifying digest and size; the file
    /// appears under its digest only when the bytes matched. Feed it from
    /// `RegistryClient.fetchBlob` or `ImageSource.streamBlob`.
    public func blobWriter(for descriptor: Descriptor) throws -> BlobConsumer {
        try BlobFileWriter(finalPath: blobPath(descriptor.digest), expected: descriptor.digest, size: descriptor.size)
    }

    /// Writes a document (manifest, index, config) exactly as given.
    public func writeBlob(_ data: Data, for descriptor: Descriptor) throws {
        let writer = try blobWriter(for: descriptor)
        try data.withUnsafeBytes { try writer.consume($0) }
        try writer.finish()
    }

    /// Copies `descriptor` and everything it references (an index's children,
    /// a manifest's config and layers) from `source`. Present blobs are
    /// skipped; foreign layers are left out, as registries and go-containerregistry do.
    public func copy(_ descriptor: Descriptor, from source: ImageSource) throws {
        try copy(descriptor, from: source, depth: 0)
    }

    private func copy(_ descriptor: Descriptor, from source: ImageSource, depth: Int) throws {
        guard depth < ImageResolver.maximumDepth else { throw ImageError.indexTooDeep }
        let data = try source.manifestData(for: descriptor)
        switch try ImageResolver.decode(data, descriptor: descriptor) {
        case .index(let index):
            for child in index.manifests { try copy(child, from: source, depth: depth + 1) }
        case .manifest(let manifest):
            for blob in [manifest.config] + manifest.layers where !MediaType.isForeignLayer(blob.mediaType) {
                if hasBlob(blob) { continue }
                try source.streamBlob(blob, into: blobWriter(for: blob))
            }
        }
        if !hasBlob(descriptor) { try writeBlob(data, for: descriptor) }
    }

    /// Writes `oci-layout` and `index.json` listing `manifests` (each may
    /// carry a `org.opencontainers.image.ref.name` annotation).
    public func finish(manifests: [Descriptor], annotations: [String: String]? = nil) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let index = ImageIndex(manifests: manifests, annotations: annotations)
        try writeFile(Data(OCILayout.layoutVersionJSON.utf8), named: OCILayout.layoutFile)
        try writeFile(encoder.encode(index), named: OCILayout.indexFile)
    }

    /// Writes `oci-layout` and `index.json` as exactly `index` (an image
    /// index document), so that index.json hashes to the index's digest.
    public func finish(rawIndex index: Data) throws {
        try writeFile(Data(OCILayout.layoutVersionJSON.utf8), named: OCILayout.layoutFile)
        try writeFile(index, named: OCILayout.indexFile)
    }

    private func writeFile(_ data: Data, named name: String) throws {
        try AtomicFile.write(data, to: directory.appendingPathComponent(name).path)
    }

    /// Copies the source's root (or `root`) with everything below it into a
    /// layout at `directory`, tagged `refName` when given. Returns the root.
    @discardableResult
    public static func copy(
        from source: ImageSource, root: Descriptor? = nil, to directory: URL, refName: String? = nil
    ) throws -> Descriptor {
        var top = try root ?? source.rootDescriptor()
        let writer = try OCILayoutWriter(directory: directory)
        try writer.copy(top, from: source)
        if let refName {
            var annotations = top.annotations ?? [:]
            annotations[Descriptor.refNameAnnotation] = refName
            top.annotations = annotations
        }
        try writer.finish(manifests: [top])
        return top
    }
}
