import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

/// `out` and `push`: an image on disk (a docker-archive, an OCI archive or
/// an OCI layout) copied to a registry repository under `tags`. Returns the
/// pushed root (with `.mergePlatform`, the index the first tag names); its
/// digest is the one the registry now serves for the first tag.
public enum DiskImagePush {
    /// - Parameter layoutAsUpstream: push an OCI layout as upstream's `out`
    ///   does (`OCILayoutSource(pushingAsUpstream:)`): `index.json` itself
    ///   unless `single-image-digest` names the image.
    public static func push(
        path: String, displayName: String, to client: RegistryClient, tags: [String],
        layoutAsUpstream: Bool = false, tagMode: TagMode = .replace, progress: TransferProgress, logger: Logger
    ) throws -> Descriptor {
        var located = try ImageSourceLocator.locate(path: path)
        if layoutAsUpstream, located.kind == .ociLayout {
            located.source = try OCILayoutSource(pushingAsUpstream: URL(fileURLWithPath: path))
        }
        logger.info("pushing \(located.kind.rawValue) \(displayName) to \(client.registry)/\(client.repository) as \(tags.joined(separator: ", "))")
        // As upstream, a docker-archive's plain-tar layers go out gzipped.
        var options = PushOptions(compressPlainLayers: located.kind == .dockerArchive)
        // A layout `in` wrote from this registry: its blobs are mounted, not sent.
        options.mount(from: located.source.blobOrigin, pushingTo: client.registry)
        options.tagMode = tagMode
        let destination = RegistryDestination(client: client, tags: tags, options: options, logger: logger)
        let pushed = try ImageTransfer(progress: progress, logger: logger).copy(from: located.source, to: destination)
        // Merged into indexes, the first tag's index is what the tags name.
        return destination.published.first?.descriptor ?? pushed.root
    }
}
