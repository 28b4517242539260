import FoundationEssentials
import OCIModel

/// An OCI layout inside a tarball (skopeo's `oci-archive:`, `buildah push
/// oci-archive:`). Members are streamed from the tarball, never extracted.
public final class OCIArchiveSource: ImageSource {
    private let layout: OCILayoutSource

    public convenience init(path: String, reference: String? = nil) throws {
        try self.init(store: try TarFileStore(path: path), reference: reference)
    }

    init(store: TarFileStore, reference: String?) throws {
        layout = try OCILayoutSource(store: store, reference: reference)
    }

    public var index: ImageIndex { layout.index }

    public func rootDescriptor() throws -> Descriptor { try layout.rootDescriptor() }

    public func manifestData(for descriptor: Descriptor) throws -> Data { try layout.manifestData(for: descriptor) }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try layout.streamBlob(descriptor, into: consumer)
    }

    public var allowsConcurrentBlobReads: Bool { layout.allowsConcurrentBlobReads }
    public var blobOrigin: BlobOrigin? { layout.blobOrigin }
    public func openBlob(_ descriptor: Descriptor) throws -> ByteSource? { try layout.openBlob(descriptor) }
}
