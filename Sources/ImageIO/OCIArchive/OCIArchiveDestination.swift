import FoundationEssentials
import OCIModel

/// An OCI archive: a tarball of an OCI image layout (`oci-layout`,
/// `index.json`, `blobs/sha256/…`), as `skopeo copy … oci-archive:` writes
/// it. Blobs and documents stream into the tarball as they arrive (no layout
/// on disk first); `oci-layout` and `index.json` (listing the root, tagged
/// `refName` when given) close it at `commit`, and the file is renamed into
/// place only then.
public typealias OCIArchiveDestination = TarballDestination<OCIArchiveFormat>

extension TarballDestination where Format == OCIArchiveFormat {
    public convenience init(path: String, refName: String? = nil) {
        self.init(path: path, format: OCIArchiveFormat(refName: refName))
    }
}

/// An OCI layout's member names, and `oci-layout` and `index.json` at the end.
public struct OCIArchiveFormat: TarballFormat {
    let refName: String?

    public static var scope: DestinationScope { .wholeTree }

    public func member(for blob: Descriptor, role: BlobRole) -> String { DirectoryFileStore.blobPath(blob.digest) }

    public func reuse(_ blob: Descriptor) {}

    public func documentMember(for descriptor: Descriptor) -> String? { DirectoryFileStore.blobPath(descriptor.digest) }

    public func closingMembers(for transferred: TransferredImage) throws -> [(name: String, data: Data)] {
        [
            (OCILayout.layoutFile, Data(OCILayout.layoutVersionJSON.utf8)),
            (OCILayout.indexFile, try OCILayout.index(listing: transferred.root, refName: refName)),
        ]
    }
}
