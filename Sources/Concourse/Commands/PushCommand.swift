import FoundationEssentials
import ImageIO
import OCIModel
import RegistryClient
import ResourceCore

/// `out SRC`: push `params.image` (a docker-archive, an OCI archive or an OCI
/// layout under SRC) to `source.repository` under the planned tags.
public enum PushCommand {
    public static func run(_ request: OutRequest, sourceDirectory: String) throws -> ResourceResponse {
        let logger = StandardErrorLogHandler.logger(debug: request.source.debug)
        var request = request
        request.source = try CloudLogin.apply(to: request.source, logger: logger)
        // The key is read (and decrypted) before anything is pushed.
        let signer = try request.params.sign?.signer()
        let reference = try SourceReference.repository(of: request.source)
        let options = RegistryOptionsFactory.options(
            username: request.params.username ?? request.source.username,
            password: request.params.password ?? request.source.password, source: request.source)
        let client = RegistryClient(reference: reference, options: options, logger: logger)

        var additionalTags: String?
        if let file = request.params.additionalTags {
            let path = TextFile.path(file, under: sourceDirectory)
            do {
                additionalTags = try TextFile.read(path)
            } catch {
                throw PushCommandError.additionalTags(path: file, reason: "cannot be read (\(error.reason))")
            }
        }
        let planner = TagPlanner(request: OutTagRequest(
            sourceTag: request.source.versions.tag, variant: request.source.versions.variant, version: request.params.version,
            bumpAliases: request.params.bumpAliases, additionalTags: additionalTags,
            tagPrefix: request.params.tagPrefix))
        let tags = try planner.tags { try existingTags(client) }

        let imagePath = try ImagePathGlob.resolve(request.params.image, under: sourceDirectory)
        let progress = TransferProgress(debug: request.source.debug)
        let pushed: Descriptor
        if let promoted = try PromotedImage.read(directory: imagePath) {
            pushed = try Promotion.run(promoted, request: request, to: client, tags: tags, progress: progress, logger: logger)
        } else {
            if request.params.imageSource != nil {
                throw RequestError.invalidValue(
                    field: "params.image_source", reason: "applies only when params.image names a get directory")
            }
            pushed = try DiskImagePush.push(
                path: imagePath, displayName: request.params.image, to: client, tags: tags, layoutAsUpstream: true,
                tagMode: request.params.platformMerge ? .mergePlatform : .replace, progress: progress, logger: logger)
        }
        if let signer {
            // Every tag names the same digest: one signature serves them all.
            let place = try signer.sign(pushed, dockerReference: "\(reference.registry)/\(reference.repository)", in: client)
            logger.info("signed \(pushed.digest) with \(signer.key.publicKey.fingerprint) (\(place))")
        }

        return ResourceResponse(
            version: ResourceVersion(tag: tags[0], digest: pushed.digest.description),
            metadata: [
                MetadataField(name: "repository", value: request.source.repository),
                MetadataField(name: "tags", value: tags.joined(separator: " ")),
            ])
    }

    /// The repository's tags; none for a repository that does not exist yet.
    static func existingTags(_ client: RegistryClient) throws -> [String] {
        do {
            return try client.listTags()
        } catch RegistryError.notFound {
            return []
        }
    }
}
