import FoundationEssentials
import ImageIO
import Logging
import OCIModel
import RegistryClient

/// `put` with `params.image` naming a `get` directory (its `repository` and
/// `digest` files, also written with `skip_download`): the digest is copied
/// registry to registry through the one transfer — nothing on disk, blobs
/// the target has skipped, blobs of the same registry mounted, others
/// streamed, an index whole — and its signatures and referrers come along.
/// The pushed digest is the source's.
struct PromotedImage: Equatable {
    var repository: String
    var digest: Digest

    /// The get directory at `path`; nil when `path` is not one (an image on disk).
    static func read(directory path: String) throws -> PromotedImage? {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory else { return nil }
        // An OCI layout is an image on disk, whatever else sits beside it.
        guard !FileManager.default.fileExists(atPath: TextFile.path("oci-layout", under: path)) else { return nil }
        func field(_ name: String) -> String? {
            (try? TextFile.bytes(TextFile.path(name, under: path)))
                .flatMap { String(validating: $0, as: UTF8.self) }?.trimmingWhitespace(newlines: true)
        }
        guard let repository = field("repository"), let digestText = field("digest") else { return nil }
        guard !repository.isEmpty else { throw PromotionError.badGetDirectory(path: path, reason: "its repository file is empty") }
        guard let digest = try? Digest(parsing: digestText) else {
            throw PromotionError.badGetDirectory(path: path, reason: "its digest file does not hold a digest")
        }
        return PromotedImage(repository: repository, digest: digest)
    }
}

enum Promotion {
    /// Copies `image` to `destination`'s repository under `tags`; returns the
    /// root pushed (with `platform_merge`, the first tag's index).
    static func run(
        _ image: PromotedImage, request: OutRequest, to destination: RegistryClient, tags: [String],
        progress: TransferProgress, logger: Logger
    ) throws -> Descriptor {
        let sourceClient = try client(for: image, request: request, target: destination, logger: logger)
        let source = RegistryImageSource(client: sourceClient, rootDigest: image.digest)
        var options = PushOptions()
        options.mount(from: source.blobOrigin, pushingTo: destination.registry)
        options.tagMode = request.params.platformMerge ? .mergePlatform : .replace
        let target = RegistryDestination(client: destination, tags: tags, options: options, logger: logger)
        logger.info("promoting \(sourceClient.registry)/\(sourceClient.repository)@\(image.digest) to \(destination.registry)/\(destination.repository) as \(tags.joined(separator: ", "))")
        let copied = try ImageTransfer(progress: progress, logger: logger).copy(from: source, to: target)
        var attachedOptions = PushOptions()
        attachedOptions.mountFrom = options.mountFrom
        _ = try AttachedArtifactCopy(progress: progress, logger: logger, options: attachedOptions)
            .copy(attachedTo: source, from: sourceClient, to: destination)
        return target.published.first?.descriptor ?? copied.root
    }

    /// The source registry's client: `params.image_source`'s settings; else
    /// the target's when the host is the same; else anonymous.
    static func client(for image: PromotedImage, request: OutRequest, target: RegistryClient, logger: Logger) throws -> RegistryClient {
        var settings: SourceConfiguration
        if var given = request.params.imageSource {
            given.repository = image.repository
            settings = try CloudLogin.apply(to: given, logger: logger)
        } else {
            settings = SourceConfiguration(repository: image.repository)
            let reference = try ImageReference(parsing: image.repository)
            if reference.registry == target.registry {
                settings.username = request.params.username ?? request.source.username
                settings.password = request.params.password ?? request.source.password
                settings.insecure = request.source.insecure
                settings.caCerts = request.source.caCerts
            }
        }
        settings.registryMirror = nil  // the digest is read where `get` read it
        guard let origin = try RepositoryEndpoint.endpoints(for: settings, logger: logger).last else {
            throw PromotionError.badGetDirectory(path: image.repository, reason: "names no registry")
        }
        return origin.client
    }
}

enum PromotionError: Error, Equatable, CustomStringConvertible {
    case badGetDirectory(path: String, reason: String)

    var description: String {
        switch self {
        case let .badGetDirectory(path, reason): "params.image '\(path)' looks like a get directory, but \(reason)"
        }
    }
}
