import FoundationEssentials
import OCIModel

/// Writes an OCI image layout: `oci-layout`, `blobs/sha256/…`, then
/// `index.json` last (renamed into place), so a layout is complete only once
/// `finish` ran (`OCILayoutDestination` stages the whole directory). Blobs
/// stream straight to their final files; documents are written byte for byte
/// as received.
public final class OCILayoutWriter {
    public let directory: URL
    private var blobsDirectory: URL { directory.appendingPathComponent("blobs/sha256") }

    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        } catch {
            throw ImageError.io("cannot create \(directory.path): \(FileErrorText.reason(error))")
        }
    }

    private func blobPath(_ digest: Digest) -> String { blobsDirectory.appendingPathComponent(digest.encoded).path }

    /// Whether the blob is already present with the right size (it was verified when written).
    public func hasBlob(_ descriptor: Descriptor) -> Bool {
        DirectoryFileStore(directory: directory).size(of: DirectoryFileStore.blobPath(descriptor.digest)) == descriptor.size
    }

    /// A consumer that stores the blob under its digest when finished. It
    /// does not verify: the caller puts a `DigestVerifier` in front (the
    /// transfer does), so only matching bytes are ever committed.
    public func blobWriter(for descriptor: Descriptor) throws -> BlobConsumer {
        try StagedBlobFile(finalPath: blobPath(descriptor.digest))
    }

    /// Writes a verified document (manifest, index, config) exactly as given.
    public func writeBlob(_ data: Data, for descriptor: Descriptor) throws {
        try StagedFile.write(data, to: blobPath(descriptor.digest))
    }

    /// Writes `oci-layout` and `index.json` as exactly `index` (an image
    /// index document), so that index.json hashes to the index's digest.
    public func finish(rawIndex index: Data) throws {
        try writeFile(Data(OCILayout.layoutVersionJSON.utf8), named: OCILayout.layoutFile)
        try writeFile(index, named: OCILayout.indexFile)
    }

    private func writeFile(_ data: Data, named name: String) throws {
        try StagedFile.write(data, to: directory.appendingPathComponent(name).path)
    }
}
