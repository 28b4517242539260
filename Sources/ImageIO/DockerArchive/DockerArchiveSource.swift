import FastExtract
import FoundationEssentials
import OCIModel

/// A `docker save` tarball (also skopeo's `docker-archive:` and
/// go-containerregistry's tarball). It holds no registry manifest, so one is
/// synthesised: an OCI manifest whose layer descriptors point at the
/// tarball's members. An uncompressed layer's digest is its diff_id from the
/// config; a compressed one's comes from its member name (`<hex>.tar.gz`,
/// `blobs/sha256/<hex>`) or, failing that, from hashing the member once.
public final class DockerArchiveSource: ImageSource {
    private let store: TarFileStore
    public let manifest: ImageManifest
    /// The synthesised manifest's bytes (canonical JSON, sorted keys).
    public let manifestData: Data
    public let configData: Data
    /// RepoTags of the chosen entry (`repo:tag`), possibly empty.
    public let repoTags: [String]
    private let root: Descriptor
    private var memberForDigest: [Digest: String] = [:]

    /// - Parameter reference: a RepoTag (`repo:tag` or just `tag`) choosing
    ///   among several images; nil when the archive holds exactly one.
    public convenience init(path: String, reference: String? = nil) throws {
        try self.init(store: try TarFileStore(path: path), reference: reference)
    }

    init(store: TarFileStore, reference: String?) throws {
        self.store = store
        let path = store.path
        let entries: [DockerArchiveManifest]
        do {
            entries = try JSONDecoder().decode([DockerArchiveManifest].self, from: store.read("manifest.json"))
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError.malformedArchive(path, detail: "manifest.json: \(error)")
        }
        let entry = try DockerArchiveSource.choose(entries, reference: reference, path: path)
        repoTags = entry.repoTags ?? []

        configData = try store.read(entry.config)
        let config: ImageConfig
        do {
            config = try JSONDecoder().decode(ImageConfig.self, from: configData)
        } catch {
            throw ImageError.model(.malformed(what: "image config \(entry.config)", detail: String(describing: error)))
        }
        let configDescriptor = Descriptor(
            mediaType: MediaType.ociConfig, digest: SHA256Hasher.digest(of: configData), size: Int64(configData.count))

        var layers: [Descriptor] = []
        for (position, member) in entry.layers.enumerated() {
            let diffID = position < config.rootfs.diffIDs.count ? config.rootfs.diffIDs[position] : nil
            if !store.contains(member), let diffID, let foreign = entry.layerSources?[diffID.description] {
                layers.append(foreign)
                continue
            }
            guard let size = store.size(of: member) else {
                throw ImageError.malformedArchive(path, detail: "layer \(member) listed in manifest.json is missing")
            }
            let compression = try DockerArchiveSource.sniff(member, in: store)
            let digest: Digest
            if compression == nil, let diffID, config.rootfs.diffIDs.count == entry.layers.count {
                digest = diffID
            } else if compression != nil, let named = DockerArchiveSource.digestInName(member) {
                digest = named
            } else {
                digest = try DockerArchiveSource.hash(member, in: store)
            }
            memberForDigest[digest] = member
            layers.append(Descriptor(mediaType: compression ?? MediaType.ociLayerTar, digest: digest, size: size))
        }
        manifest = ImageManifest(config: configDescriptor, layers: layers)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        manifestData = try encoder.encode(manifest)
        root = Descriptor(
            mediaType: MediaType.ociManifest, digest: SHA256Hasher.digest(of: manifestData),
            size: Int64(manifestData.count))
    }

    static func choose(_ entries: [DockerArchiveManifest], reference: String?, path: String) throws(ImageError) -> DockerArchiveManifest {
        let names = entries.flatMap { $0.repoTags ?? [] }
        guard let reference else {
            guard entries.count == 1 else {
                if entries.isEmpty { throw .malformedArchive(path, detail: "manifest.json lists no image") }
                throw .ambiguousImage(available: names)
            }
            return entries[0]
        }
        let match = entries.first { entry in
            (entry.repoTags ?? []).contains { $0 == reference || $0.hasSuffix(":" + reference) }
        }
        guard let match else { throw .referenceNotFound(reference, available: names) }
        return match
    }

    /// The layer media type by leading bytes: nil for a plain tar.
    static func sniff(_ member: String, in store: TarFileStore) throws -> String? {
        let prefix = PrefixCollector(count: Compression.sniffLength)
        do {
            try store.stream(member, into: prefix)
        } catch is PrefixCollector.Enough {}
        switch prefix.data.withUnsafeBytes({ Compression.sniff($0) }) {
        case .gzip: return MediaType.ociLayerTarGzip
        case .zstd: return MediaType.ociLayerTarZstd
        case .none: return nil
        }
    }

    /// A 64-hex-digit path component or file stem names the blob's digest.
    static func digestInName(_ member: String) -> Digest? {
        for component in member.split(separator: "/").reversed() {
            let stem = component.split(separator: ".").first.map(String.init) ?? ""
            if let digest = try? Digest(parsing: "sha256:" + stem) { return digest }
        }
        return nil
    }

    static func hash(_ member: String, in store: TarFileStore) throws -> Digest {
        let hasher = HashingConsumer(hasher: SHA256Hasher())
        try store.stream(member, into: hasher)
        return hasher.hasher.finalize()
    }

    public func rootDescriptor() throws -> Descriptor { root }

    public func manifestData(for descriptor: Descriptor) throws -> Data {
        guard descriptor.digest == root.digest else { throw ImageError.blobNotFound(descriptor.digest, in: store.path) }
        return manifestData
    }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        if descriptor.digest == manifest.config.digest {
            try configData.withUnsafeBytes { try consumer.consume($0) }
            try consumer.finish()
            return
        }
        guard let member = memberForDigest[descriptor.digest] else {
            if MediaType.isForeignLayer(descriptor.mediaType) { throw ImageError.foreignLayer(descriptor.digest) }
            throw ImageError.blobNotFound(descriptor.digest, in: store.path)
        }
        try store.stream(member, into: consumer)
    }

    /// Every member is read through its own reader of the tarball.
    public var allowsConcurrentBlobReads: Bool { true }
}

/// Keeps the first bytes of a stream, then stops it.
final class PrefixCollector: BlobConsumer {
    struct Enough: Error {}
    private let count: Int
    private(set) var data = Data()

    init(count: Int) { self.count = count }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        data.append(contentsOf: chunk.prefix(count - data.count))
        if data.count >= count { throw Enough() }
    }

    func finish() throws {}
}
