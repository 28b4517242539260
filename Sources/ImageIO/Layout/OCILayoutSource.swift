import FoundationEssentials
import OCIModel

/// An OCI image layout read from a directory (or, through `OCIArchiveSource`,
/// from a tarball). `index.json` may list several images; `reference` picks
/// one by its `org.opencontainers.image.ref.name` tag or by digest. Without a
/// reference a single entry is the root; several entries make `index.json`
/// itself the root index, from which `ImageResolver` chooses by platform.
public final class OCILayoutSource: ImageSource {
    let store: ImageFileStore
    public let index: ImageIndex
    /// The original bytes of index.json.
    public let indexData: Data
    private let indexDescriptor: Descriptor
    private let root: Descriptor
    /// From `blob-origin.json`; a missing or unreadable file only means no mounts.
    public let blobOrigin: BlobOrigin?

    public convenience init(directory: URL, reference: String? = nil) throws {
        try self.init(store: DirectoryFileStore(directory: directory), reference: reference)
    }

    /// The layout `out` pushes, chosen as upstream does: the image named by
    /// `single-image-digest` when that marker exists, else `index.json`
    /// itself as an image index, unwrapped while it is a one-entry index
    /// pointing at another index.
    public convenience init(pushingAsUpstream directory: URL) throws {
        let store = DirectoryFileStore(directory: directory)
        if store.contains(OCILayout.singleImageDigestFile) {
            let marker = String(decoding: try store.read(OCILayout.singleImageDigestFile), as: UTF8.self)
                .trimmingWhitespace(newlines: true)
            try self.init(store: store, reference: marker)
        } else {
            try self.init(store: store, reference: nil, wholeIndex: true)
        }
    }

    init(store: ImageFileStore, reference: String?, wholeIndex: Bool = false) throws {
        self.store = store
        guard store.contains(OCILayout.layoutFile) else {
            throw ImageError.io("\(store.location) is not an OCI layout (no \(OCILayout.layoutFile) file)")
        }
        indexData = try store.read(OCILayout.indexFile)
        do {
            index = try JSONDecoder().decode(ImageIndex.self, from: indexData)
        } catch {
            throw ImageError.model(.malformed(what: "index.json of \(store.location)", detail: String(describing: error)))
        }
        indexDescriptor = Descriptor(
            mediaType: MediaType.ociIndex, digest: SHA256Hasher.digest(of: indexData), size: Int64(indexData.count))
        blobOrigin = store.contains(OCILayout.blobOriginFile)
            ? (try? JSONDecoder().decode(BlobOrigin.self, from: store.read(OCILayout.blobOriginFile, limit: 64 << 10)))
            : nil
        if wholeIndex {
            root = try OCILayoutPushRoot.unwrapped(index, descriptor: indexDescriptor, store: store)
        } else {
            root = try OCILayoutSource.pickRoot(index, indexDescriptor: indexDescriptor, reference: reference)
        }
    }

    static func pickRoot(_ index: ImageIndex, indexDescriptor: Descriptor, reference: String?) throws(ImageError) -> Descriptor {
        let names = index.manifests.map { $0.refName ?? $0.digest.description }
        guard let reference else {
            if index.manifests.count == 1 { return index.manifests[0] }
            return indexDescriptor
        }
        if let digest = try? Digest(parsing: reference) {
            if let match = index.manifests.first(where: { $0.digest == digest }) { return match }
            throw .referenceNotFound(reference, available: names)
        }
        // ref.name is a tag ("latest") or, from some tools, a full "repo:tag".
        let matches = index.manifests.filter { descriptor in
            guard let name = descriptor.refName else { return false }
            return name == reference || name.hasSuffix(":" + reference)
        }
        guard let first = matches.first else { throw .referenceNotFound(reference, available: names) }
        if matches.count == 1 { return first }
        // The same tag on several entries (one per platform): choose by platform among them.
        return indexDescriptor
    }

    public func rootDescriptor() throws -> Descriptor { root }

    public func manifestData(for descriptor: Descriptor) throws -> Data {
        if descriptor.digest == indexDescriptor.digest { return indexData }
        return try store.verifiedDocument(at: [DirectoryFileStore.blobPath(descriptor.digest)], for: descriptor)
    }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try store.streamBlob(at: DirectoryFileStore.blobPath(descriptor.digest), descriptor, into: consumer)
    }

    /// Both stores open every file (or tarball member) anew for each read.
    public var allowsConcurrentBlobReads: Bool { true }

    public func openBlob(_ descriptor: Descriptor) throws -> ByteSource? {
        try store.open(DirectoryFileStore.blobPath(descriptor.digest))
    }
}
