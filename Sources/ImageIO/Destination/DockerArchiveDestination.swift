import Foundation
import OCIModel

/// A `docker save`-style tarball that `docker load` and skopeo read (upstream's
/// `format: oci`): the config as `<hex>.json`, each layer blob as stored
/// (compressed layers are accepted by `docker load`) named `<hex>.tar.gz` /
/// `.tar.zst` / `.tar` like go-containerregistry's tarball writer, then
/// `manifest.json` with `RepoTags`. Blobs stream into the tarball through a
/// `StagedFile` renamed into place by `commit`.
public final class DockerArchiveDestination: ImageDestination {
    public let path: String
    private let repoTags: [String]
    private var file: StagedFile?
    private var tar: TarArchiveWriter?
    private var configName: String?
    private var layerNames: [String] = []
    private var written: Set<Digest> = []

    public init(path: String, repoTags: [String]) {
        self.path = path
        self.repoTags = repoTags
    }

    public var scope: DestinationScope { .oneImage }

    public func begin() throws {
        let file = try StagedFile(finalPath: path)
        self.file = file
        tar = try TarArchiveWriter(file: file)
        configName = nil
        layerNames = []
        written = []
    }

    /// A layer listed twice is stored once but named twice in manifest.json.
    public func hasBlob(_ blob: Descriptor) throws -> Bool {
        guard written.contains(blob.digest) else { return false }
        layerNames.append(Self.memberName(for: blob))
        return true
    }

    public func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        guard let tar else { throw ImageError.io("docker-archive destination used before begin()") }
        let name: String
        switch role {
        case .config:
            name = "\(blob.digest.encoded).json"
            configName = name
        case .layer, .other:
            name = Self.memberName(for: blob)
            layerNames.append(name)
        }
        try tar.beginMember(name, size: blob.size)
        try feed(TarMemberConsumer(writer: tar))
        written.insert(blob.digest)
        return blob
    }

    public func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {}

    public func commit(_ transferred: TransferredImage) throws {
        guard let tar, let file, let configName else {
            throw ImageError.io("docker-archive destination committed before its config was written")
        }
        let entry = DockerArchiveManifest(config: configName, repoTags: repoTags, layers: layerNames)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let manifestData = try encoder.encode([entry])
        try tar.beginMember("manifest.json", size: Int64(manifestData.count))
        try manifestData.withUnsafeBytes { bytes in try tar.write(bytes) }
        try tar.close()
        try file.commit()
        self.tar = nil
        self.file = nil
    }

    public func discard() {
        tar = nil
        file?.discard()
        file = nil
    }

    static func memberName(for layer: Descriptor) -> String {
        let type = layer.mediaType
        let suffix: String
        if type.hasSuffix("gzip") {
            suffix = ".tar.gz"
        } else if type.hasSuffix("zstd") {
            suffix = ".tar.zst"
        } else {
            suffix = ".tar"
        }
        return layer.digest.encoded + suffix
    }
}
