import Concourse
import FoundationEssentials
import ImageIO
import Logging
import OCIModel

/// The human commands: the same code paths as the Concourse commands, driven
/// by flags instead of JSON.
public enum ImageTool {
    /// Unpacks an image into `rootfs`: from disk with no network, or from a
    /// registry. `source` is any transport location (or a path judged by content);
    /// `tag` picks an image where the source holds several.
    public static func extract(
        source text: String, rootfs: String, platform: String?, digest: String?, tag: String?, settings: ToolSettings
    ) throws {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        var location = try ImageLocation(parsing: text)
        if let tag {
            switch location {
            case .unqualified(let path): return try extract(
                opened: ImageSourceLocator.open(path: path, reference: tag), rootfs: rootfs, platform: platform,
                digest: digest, debug: settings.debug, logger: logger)
            case .ociLayout(let path, nil): location = .ociLayout(path: path, reference: tag)
            case .ociArchive(let path, nil): location = .ociArchive(path: path, reference: tag)
            case .dockerArchive(let path, nil): location = .dockerArchive(path: path, reference: tag)
            default: throw ToolError.invalidArgument("--tag: \(location) already names its image, or cannot take a tag")
            }
        }
        let opened = try openSource(location, settings: settings, logger: logger)
        try extract(opened: opened.source, rootfs: rootfs, platform: platform, digest: digest, debug: settings.debug,
                    logger: logger)
    }

    private static func extract(
        opened source: ImageSource, rootfs: String, platform: String?, digest: String?, debug: Bool, logger: Logger
    ) throws {
        let transfer = ImageTransfer(
            platform: try platform.map(parsePlatform), digest: try digest.map { try parseDigest($0) },
            progress: TransferProgress(debug: debug), logger: logger)
        _ = try transfer.copy(from: source, to: RootfsDestination(path: rootfs, logger: logger))
    }

    /// Applies bare layer blobs (`FILE[@sha256:HEX]`), in order, into `rootfs`.
    public static func extract(layers arguments: [String], rootfs: String, debug: Bool) throws {
        let logger = StandardErrorLogHandler.logger(debug: debug)
        let files = try arguments.map { try LayerFile(parsing: $0) }
        for file in files where file.digest == nil {
            logger.warning("\(file.path): no digest given or in its name; applied without verification")
        }
        let source = try LayerFilesSource(files)
        try extract(opened: source, rootfs: rootfs, platform: nil, digest: nil, debug: debug, logger: logger)
    }

    public static func pull(
        reference text: String, destination: String, format: String, platform: String?, settings: ToolSettings
    ) throws {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        guard let format = ImageFormat(rawValue: format) else {
            let valid = ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw ToolError.invalidArgument("unknown format '\(format)' (valid: \(valid))")
        }
        let reference = try ImageReference(parsing: text)
        let client = try registryClient(reference, settings: settings, logger: logger)
        let rootDigest = try reference.digest ?? headRoot(of: reference, with: client).digest
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        let source = RegistryImageSource(client: client, rootDigest: rootDigest)
        logger.info("fetching \(reference.registry)/\(reference.repository)@\(rootDigest)")
        var transfer = ImageTransfer(
            platform: try platform.map(parsePlatform), progress: TransferProgress(debug: settings.debug), logger: logger)
        transfer.resolvesImage = true
        let target = format.destination(
            in: destination, archiveName: "\(reference.registry)/\(reference.repository):\(reference.tag ?? "latest")",
            logger: logger)
        let image = try transfer.copy(from: source, to: target).image
        try format.writeMetadataFiles(for: image, in: destination)
    }

    public static func tags(reference text: String, settings: ToolSettings) throws -> [String] {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let reference = try ImageReference(parsing: text)
        return try registryClient(reference, settings: settings, logger: logger).listTags()
    }

    static func parsePlatform(_ text: String) throws -> Platform {
        do {
            return try Platform(parsing: text)
        } catch {
            throw ToolError.invalidArgument("--platform: \(error)")
        }
    }

    static func parseDigest(_ text: String) throws -> Digest {
        do {
            return try Digest(parsing: text)
        } catch {
            throw ToolError.invalidArgument("--digest: \(error)")
        }
    }
}

public enum ToolError: Error, CustomStringConvertible {
    case invalidArgument(String)
    case notFound(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): "invalid argument: \(message)"
        case .notFound(let message): message
        }
    }
}

extension ImageTool {
    /// `tags --format json`: skopeo list-tags' shape, `{"Repository", "Tags"}`.
    public static func tagsJSON(reference text: String, tags: [String]) throws -> Data {
        let reference = try ImageReference(parsing: text)
        let host = reference.isDockerHub ? "docker.io" : reference.registry
        let object: [String: Any] = ["Repository": "\(host)/\(reference.repository)", "Tags": tags]
        return Data(JSONAny.serialize(object, pretty: true, sortedKeys: true, escapingSlashes: false) ?? [])
    }
}
