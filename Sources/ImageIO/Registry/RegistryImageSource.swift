import FoundationEssentials
import OCIModel
import RegistryClient

/// A registry repository seen as an image source: the root is the manifest or
/// index the version's digest names. Manifests fetched by digest are checked
/// against it by the client; blobs stream straight into the consumer.
public final class RegistryImageSource: ImageSource {
    public let client: RegistryClient
    private let rootDigest: Digest
    private var fetched: [Digest: ManifestResponse] = [:]

    public init(client: RegistryClient, rootDigest: Digest) {
        self.client = client
        self.rootDigest = rootDigest
    }

    public func rootDescriptor() throws -> Descriptor {
        try manifest(rootDigest).descriptor
    }

    public func manifestData(for descriptor: Descriptor) throws -> Data {
        try manifest(descriptor.digest).data
    }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try client.fetchBlob(descriptor.digest, into: consumer)
    }

    /// The client is thread-safe; each fetch borrows its own connection.
    public var allowsConcurrentBlobReads: Bool { true }
    public var fetchesOverNetwork: Bool { true }
    public var blobOrigin: BlobOrigin? { BlobOrigin(registry: client.registry, repository: client.repository) }

    private func manifest(_ digest: Digest) throws -> ManifestResponse {
        if let cached = fetched[digest] { return cached }
        let response = try client.fetchManifest(digest.description)
        fetched[digest] = response
        return response
    }
}
