import OCIModel

/// One entry of a docker-archive's `manifest.json` (`docker save` format).
struct DockerArchiveManifest: Codable, Hashable, Sendable {
    var config: String
    var repoTags: [String]?
    var layers: [String]
    /// Foreign layers, keyed by diff_id (as go-containerregistry writes them).
    var layerSources: [String: Descriptor]?

    enum CodingKeys: String, CodingKey {
        case config = "Config", repoTags = "RepoTags", layers = "Layers", layerSources = "LayerSources"
    }
}
