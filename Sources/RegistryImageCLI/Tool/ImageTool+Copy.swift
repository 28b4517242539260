import FoundationEssentials
import ImageIO
import Logging
import OCIModel

extension ImageTool {
    /// `copy SOURCE DESTINATION` between any two transports, through the one
    /// transfer. An index is copied whole to a destination that holds one
    /// (registry, OCI layout, OCI archive, dir:) unless `platform` picks one
    /// image; a rootfs or docker-archive takes one image (the host's by
    /// default). Returns the root digest at the destination.
    public static func copy(
        from sourceText: String, to destinationText: String, platform: String?, mergePlatform: Bool = false,
        attachedArtifacts: Bool = true, settings: ToolSettings
    ) throws -> Digest {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let opened = try openSource(sourceText, settings: settings, logger: logger)
        let wanted = try platform.map(parsePlatform)
        let target = try ImageLocation(parsing: destinationText)
        // A registry destination is kept as one: its tags may name an index
        // the image was merged into, and the source's signatures and
        // referrers follow the image there.
        let registry: RegistryDestination?
        let destination: ImageDestination
        if case .registry(let reference) = target {
            let made = try makeRegistryDestination(
                reference, copying: opened, tagMode: mergePlatform ? .mergePlatform : .replace, settings: settings,
                logger: logger)
            registry = made
            destination = made
        } else if mergePlatform {
            throw ToolError.invalidArgument("--merge-platform needs a registry destination (docker://)")
        } else {
            registry = nil
            destination = try makeDestination(target, copying: opened, settings: settings, logger: logger)
        }
        var source = opened.source
        if mergePlatform, wanted == nil, MediaType.isIndex(try source.rootDescriptor().mediaType) {
            // One image to merge: this host's, unless --platform names another.
            let image = try ImageResolver.resolve(source, platform: nil)
            source = RerootedImageSource(source, root: image.manifestDescriptor)
        }
        if let wanted, destination.scope == .wholeTree {
            // One image of the index, copied as the root (its digest kept).
            let image = try ImageResolver.resolve(source, platform: wanted)
            source = RerootedImageSource(source, root: image.manifestDescriptor)
        }
        // A destination named by digest must end up with exactly that digest.
        if case .registry(let reference) = target, let wantedDigest = reference.digest {
            let root = try source.rootDescriptor().digest
            guard root == wantedDigest else {
                throw ToolError.invalidArgument("the destination names \(wantedDigest), but the source image is \(root)")
            }
        }
        logger.info("copying \(opened.location) to \(target)")
        let transfer = ImageTransfer(platform: wanted, progress: TransferProgress(debug: settings.debug), logger: logger)
        let copied = try transfer.copy(from: source, to: destination)
        guard let registry else { return copied.root.digest }
        if attachedArtifacts, let registrySource = opened.registry {
            var options = PushOptions()
            options.mount(from: registrySource.blobOrigin, pushingTo: registry.client.registry)
            _ = try AttachedArtifactCopy(progress: transfer.progress, logger: logger, options: options)
                .copy(attachedTo: source, from: registrySource.client, to: registry.client)
        }
        return registry.published.first?.descriptor.digest ?? copied.root.digest
    }

    static func makeRegistryDestination(
        _ reference: ImageReference, copying source: OpenedSource, tagMode: TagMode, settings: ToolSettings, logger: Logger
    ) throws -> RegistryDestination {
        let client = try registryClient(reference, settings: settings, logger: logger)
        let tags = reference.digest == nil ? [reference.tag ?? "latest"] : []
        var pushOptions = PushOptions(compressPlainLayers: source.kind == .dockerArchive)
        // Blobs of a source repository on the same registry (read from it,
        // or recorded by a layout pulled from it) are mounted, not sent.
        pushOptions.mount(from: source.source.blobOrigin, pushingTo: reference.registry)
        pushOptions.tagMode = tagMode
        return RegistryDestination(client: client, tags: tags, options: pushOptions, logger: logger)
    }

    static func makeDestination(
        _ location: ImageLocation, copying source: OpenedSource, settings: ToolSettings, logger: Logger
    ) throws -> ImageDestination {
        switch location {
        case .registry(let reference):
            return try makeRegistryDestination(reference, copying: source, tagMode: .replace, settings: settings, logger: logger)
        case .ociLayout(let path, let reference):
            return OCILayoutDestination(path: path, refName: reference)
        case .ociArchive(let path, let reference):
            return OCIArchiveDestination(path: path, refName: reference)
        case .dockerArchive(let path, let reference):
            var tags: [String] = []
            if let reference {
                tags = [reference]
            } else if case .registry(let from) = source.location {
                tags = ["\(from.registry)/\(from.repository):\(from.tag ?? "latest")"]
            }
            return DockerArchiveDestination(path: path, repoTags: tags)
        case .blobDirectory(let path):
            return BlobDirectoryDestination(path: path)
        case .rootfs(let path):
            return RootfsDestination(path: path, logger: logger)
        case .unqualified(let text):
            throw ToolError.invalidArgument(
                "name the destination with its transport (docker://, oci:, docker-archive:, oci-archive:, dir: or rootfs:): \(text)")
        }
    }
}
