import FoundationEssentials
import OCIModel

/// A `docker save`-style tarball that `docker load` and skopeo read (upstream's
/// `format: oci`): the config as `<hex>.json`, each layer blob as stored
/// (compressed layers are accepted by `docker load`) named `<hex>.tar.gz` /
/// `.tar.zst` / `.tar` like go-containerregistry's tarball writer, then
/// `manifest.json` with `RepoTags`. Blobs stream into the tarball through a
/// `StagedFile` renamed into place by `commit` (`TarballAttempt`).
public final class DockerArchiveDestination: PathDestination {
    public init(path: String, repoTags: [String]) {
        super.init(path: path, scope: .oneImage) { try TarballAttempt(path: $0, format: DockerArchiveFormat(repoTags: repoTags)) }
    }
}

/// docker's member names, and `manifest.json` listing them at the end.
struct DockerArchiveFormat: TarballFormat {
    let repoTags: [String]
    private var configName: String?
    private var layerNames: [String] = []

    init(repoTags: [String]) { self.repoTags = repoTags }

    mutating func member(for blob: Descriptor, role: BlobRole) -> String {
        switch role {
        case .config:
            let name = "\(blob.digest.encoded).json"
            configName = name
            return name
        case .layer, .other:
            let name = Self.memberName(for: blob)
            layerNames.append(name)
            return name
        }
    }

    /// A layer listed twice is stored once but named twice in manifest.json.
    mutating func reuse(_ blob: Descriptor) { layerNames.append(Self.memberName(for: blob)) }

    func documentMember(for descriptor: Descriptor) -> String? { nil }

    func closingMembers(for transferred: TransferredImage) throws -> [(name: String, data: Data)] {
        guard let configName else {
            throw ImageError.io("docker-archive destination committed before its config was written")
        }
        let entry = DockerArchiveManifest(config: configName, repoTags: repoTags, layers: layerNames)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return [("manifest.json", try encoder.encode([entry]))]
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
