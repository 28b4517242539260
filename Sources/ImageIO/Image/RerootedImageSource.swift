import FoundationEssentials
import OCIModel

/// A source seen from one of its manifests: `rootDescriptor` names `root`
/// (an image chosen from an index) and everything else is the base's. Lets
/// a whole-tree destination take one image of an index, digest unchanged.
public final class RerootedImageSource: ImageSource {
    private let base: ImageSource
    private let root: Descriptor

    public init(_ base: ImageSource, root: Descriptor) {
        self.base = base
        self.root = root
    }

    public func rootDescriptor() throws -> Descriptor { root }
    public func manifestData(for descriptor: Descriptor) throws -> Data { try base.manifestData(for: descriptor) }
    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try base.streamBlob(descriptor, into: consumer)
    }
    public var allowsConcurrentBlobReads: Bool { base.allowsConcurrentBlobReads }
    public var fetchesOverNetwork: Bool { base.fetchesOverNetwork }
    public var blobOrigin: BlobOrigin? { base.blobOrigin }
    public func openBlob(_ descriptor: Descriptor) throws -> ByteSource? { try base.openBlob(descriptor) }
}
