import FastExtract
import Foundation
import OCIModel

/// An OCI archive: a tarball of an OCI image layout (`oci-layout`,
/// `index.json`, `blobs/sha256/…`), as `skopeo copy … oci-archive:` writes
/// it. Blobs and documents stream into the tarball as they arrive (no layout
/// on disk first); `oci-layout` and `index.json` (listing the root, tagged
/// `refName` when given) close it at `commit`, and the file is renamed into
/// place only then.
public final class OCIArchiveDestination: ImageDestination {
    public let path: String
    private let refName: String?
    private var file: StagedFile?
    private var tar: TarArchiveWriter?
    private var written: Set<Digest> = []

    public init(path: String, refName: String? = nil) {
        self.path = path
        self.refName = refName
    }

    public var scope: DestinationScope { .wholeTree }

    public func begin() throws {
        let file = try StagedFile(finalPath: path)
        self.file = file
        tar = try TarArchiveWriter(file: file)
        written = []
    }

    public func hasBlob(_ blob: Descriptor) throws -> Bool { written.contains(blob.digest) }

    public func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        let tar = try archive()
        try tar.beginMember(DirectoryFileStore.blobPath(blob.digest), size: blob.size)
        try feed(TarMemberConsumer(writer: tar))
        written.insert(blob.digest)
        return blob
    }

    public func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        guard !written.contains(descriptor.digest) else { return }
        try member(DirectoryFileStore.blobPath(descriptor.digest), data)
        written.insert(descriptor.digest)
    }

    public func commit(_ transferred: TransferredImage) throws {
        guard let file else { throw ImageError.io("oci-archive destination committed before begin()") }
        var top = transferred.root
        if let refName { top.refName = refName }
        try member(OCILayout.layoutFile, Data(OCILayout.layoutVersionJSON.utf8))
        try member(OCILayout.indexFile, try JSONOutput.encode(ImageIndex(manifests: [top])))
        try archive().close()
        try file.commit()
        tar = nil
        self.file = nil
    }

    public func discard() {
        tar = nil
        file?.discard()
        file = nil
    }

    private func member(_ name: String, _ data: Data) throws {
        let tar = try archive()
        try tar.beginMember(name, size: Int64(data.count))
        try data.withUnsafeBytes { try tar.write($0) }
    }

    private func archive() throws -> TarArchiveWriter {
        guard let tar else { throw ImageError.io("oci-archive destination used before begin()") }
        return tar
    }
}
