import FoundationEssentials
import OCIModel

/// skopeo's `dir:` layout, the usual shape of pre-downloaded blobs:
/// `manifest.json` (the root, a manifest or an index), for an index each
/// child manifest as `HEX.manifest.json`, and every blob (config, layers) as
/// a file named by its digest's hex. A `version` file may say
/// `Directory Transport Version: 1.x`. Nothing is trusted: the root's
/// digest is that of manifest.json's bytes, and every other file is
/// verified against the digest that names it.
public final class BlobDirectorySource: ImageSource {
    static let manifestFile = "manifest.json"
    static let versionFile = "version"

    let store: DirectoryFileStore
    /// The original bytes of manifest.json.
    public let rootData: Data
    private let root: Descriptor

    public init(directory: URL) throws {
        store = DirectoryFileStore(directory: directory)
        guard store.contains(Self.manifestFile) else {
            throw ImageError.io("\(directory.path) is not a blob directory (no \(Self.manifestFile))")
        }
        if store.contains(Self.versionFile) {
            let version = String(decoding: try store.read(Self.versionFile, limit: 4096), as: UTF8.self)
            guard version.hasPrefix("Directory Transport Version: 1.") else {
                throw ImageError.io("\(directory.path)/version: unsupported \(version.trimmingWhitespace(newlines: true))")
            }
        }
        rootData = try store.read(Self.manifestFile)
        let mediaType: String
        switch try ImageResolver.decode(rootData, descriptor: Descriptor(mediaType: "", digest: SHA256Hasher.digest(of: rootData), size: 0)) {
        case .index(let index): mediaType = index.mediaType ?? MediaType.ociIndex
        case .manifest(let manifest): mediaType = manifest.mediaType ?? MediaType.ociManifest
        }
        root = Descriptor(mediaType: mediaType, digest: SHA256Hasher.digest(of: rootData), size: Int64(rootData.count))
    }

    /// Whether `directory` looks like one (manifest.json, no oci-layout).
    static func recognises(_ store: DirectoryFileStore) -> Bool {
        store.contains(manifestFile) && !store.contains(OCILayout.layoutFile)
    }

    public func rootDescriptor() throws -> Descriptor { root }

    public func manifestData(for descriptor: Descriptor) throws -> Data {
        if descriptor.digest == root.digest { return rootData }
        // skopeo names an index's children HEX.manifest.json; a manifest
        // stored as a plain blob is accepted too.
        return try store.verifiedDocument(
            at: [Self.childManifestFile(descriptor.digest), Self.blobFile(descriptor.digest)], for: descriptor)
    }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        try store.streamBlob(at: Self.blobFile(descriptor.digest), descriptor, into: consumer)
    }

    /// Every blob is read through its own file descriptor.
    public var allowsConcurrentBlobReads: Bool { true }

    public func openBlob(_ descriptor: Descriptor) throws -> ByteSource? { try store.open(Self.blobFile(descriptor.digest)) }

    static func blobFile(_ digest: Digest) -> String { digest.encoded }
    static func childManifestFile(_ digest: Digest) -> String { "\(digest.encoded).manifest.json" }
}
