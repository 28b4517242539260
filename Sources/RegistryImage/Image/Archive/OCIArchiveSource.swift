import FastExtract
import Foundation

/// An OCI layout inside a tarball (skopeo's `oci-archive:`, `buildah push
/// oci-archive:`). Members are streamed from the tarball, never extracted.
public final class OCIArchiveSource: ImageSource {
    private let layout: OCILayoutSource

    public init(path: String, reference: String? = nil) throws {
        layout = try OCILayoutSource(store: TarFileStore(path: path), reference: reference)
    }

    public var index: ImageIndex { layout.index }

    public func rootDescriptor() throws -> Descriptor { try layout.rootDescriptor() }

    public func manifestData(for descriptor: Descriptor) throws -> Data { try layout.manifestData(for: descriptor) }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try layout.streamBlob(descriptor, into: consumer)
    }
}
