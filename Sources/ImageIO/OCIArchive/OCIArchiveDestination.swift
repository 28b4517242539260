import FoundationEssentials
import OCIModel

/// An OCI archive: a tarball of an OCI image layout (`oci-layout`,
/// `index.json`, `blobs/sha256/…`), as `skopeo copy … oci-archive:` writes
/// it. Blobs and documents stream into the tarball as they arrive (no layout
/// on disk first); `oci-layout` and `index.json` (listing the root, tagged
/// `refName` when given) close it at `commit`, and the file is renamed into
/// place only then.
public final class OCIArchiveDestination: PathDestination {
    public init(path: String, refName: String? = nil) {
        super.init(path: path, scope: .wholeTree) { try TarballAttempt(path: $0, format: OCIArchiveFormat(refName: refName)) }
    }
}

/// An OCI layout's member names, and `oci-layout` and `index.json` at the end.
struct OCIArchiveFormat: TarballFormat {
    let refName: String?

    func member(for blob: Descriptor, role: BlobRole) -> String { DirectoryFileStore.blobPath(blob.digest) }

    func reuse(_ blob: Descriptor) {}

    func documentMember(for descriptor: Descriptor) -> String? { DirectoryFileStore.blobPath(descriptor.digest) }

    func closingMembers(for transferred: TransferredImage) throws -> [(name: String, data: Data)] {
        var top = transferred.root
        if let refName { top.refName = refName }
        return [
            (OCILayout.layoutFile, Data(OCILayout.layoutVersionJSON.utf8)),
            (OCILayout.indexFile, try JSONOutput.encode(ImageIndex(manifests: [top]))),
        ]
    }
}
