import FoundationEssentials
import ImageIO
import OCIModel

/// `in DEST`: fetch the requested version into DEST as a rootfs, a
/// docker-load-able tarball or an OCI layout, plus the version files.
public enum FetchCommand {
    public static func run(_ request: InRequest, destination directory: String) throws -> ResourceResponse {
        let logger = StandardErrorLogHandler.logger(debug: request.source.debug)
        let digest: Digest
        do {
            digest = try Digest(parsing: request.version.digest)
        } catch {
            throw RequestError.invalidValue(field: "version.digest", reason: error.description)
        }
        let metadataFilter = try MetadataFilter(
            labelPattern: request.source.labelRegex, annotationPattern: request.source.annotationRegex)
        // After the request is known to be good: a bad digest fails without a cloud round trip.
        var request = request
        request.source = try CloudLogin.apply(to: request.source, logger: logger)
        // Verified before anything is written: an untrusted digest leaves the destination as it was.
        let platformChoice = PlatformChoice.platform(params: request.params.platform, source: request.source.platform)
        let trust = try SignatureGate.make(for: request.source, platform: platformChoice, logger: logger)?.verify(digest)
        if let trust { logger.info("\(trust.digest) is signed by \(trust.signedBy)") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        var resolved: ResolvedImage?
        if request.params.skipDownload && metadataFilter.isActive {
            // Metadata only, as upstream: the manifest and config, no layers.
            let endpoints = try RepositoryEndpoint.endpoints(
                for: request.source, credentialsOverride: (request.params.username, request.params.password),
                logger: logger)
            let platform = PlatformChoice.platform(params: request.params.platform, source: request.source.platform)
            resolved = try Fallback.first(endpoints, label: \.label, logger: logger) { endpoint in
                try ImageResolver.resolve(RegistryImageSource(client: endpoint.client, rootDigest: digest), platform: platform)
            }
        } else if !request.params.skipDownload {
            let endpoints = try RepositoryEndpoint.endpoints(
                for: request.source,
                credentialsOverride: (request.params.username, request.params.password),
                logger: logger)
            let candidates = endpoints.map { endpoint in
                SourceCandidate(label: endpoint.label) {
                    let via = endpoint.label.hasPrefix("mirror") ? " via \(endpoint.label)" : ""
                    logger.info("fetching \(request.source.repository)@\(digest)\(via)")
                    return RegistryImageSource(client: endpoint.client, rootDigest: digest)
                }
            }
            let format = request.params.format
            let tagForArchive = request.version.tag ?? request.source.versions.tag ?? "latest"
            var transfer = ImageTransfer(
                platform: PlatformChoice.platform(params: request.params.platform, source: request.source.platform),
                progress: TransferProgress(debug: request.source.debug), logger: logger)
            transfer.resolvesImage = true
            let target = format.destination(
                in: directory, archiveName: "\(request.source.repository):\(tagForArchive)", logger: logger)
            resolved = try transfer.copy(from: candidates, to: target).image
            try format.writeMetadataFiles(for: resolved, in: directory)
        }

        try VersionFiles.write(
            to: directory, repository: request.source.repository,
            tag: request.version.tag ?? "", digest: request.version.digest)

        var metadata = [
            MetadataField(name: "repository", value: request.source.repository),
            MetadataField(name: "tag", value: request.version.tag ?? ""),
        ]
        if let resolved { metadata += metadataFilter.fields(for: resolved) }
        if let trust { metadata.append(MetadataField(name: "signed_by", value: trust.signedBy)) }
        return ResourceResponse(version: request.version, metadata: metadata)
    }
}

/// The `repository`, `tag` and `digest` files every `in` writes.
enum VersionFiles {
    static func write(to destination: String, repository: String, tag: String, digest: String) throws {
        for (name, value) in [("tag", tag), ("digest", digest), ("repository", repository)] {
            try StagedFile.write(Data(value.utf8), to: "\(destination)/\(name)")
        }
    }
}

/// Which platform to pick from an index: `params.platform`, then
/// `source.platform`, then the host's (linux/amd64 or linux/arm64).
enum PlatformChoice {
    static func platform(params: PlatformSelection?, source: PlatformSelection?) -> Platform {
        let chosen = params ?? source
        let host = Platform.host
        let os = chosen?.os.flatMap { $0.isEmpty ? nil : $0 } ?? host.os
        let architecture = chosen?.architecture.flatMap { $0.isEmpty ? nil : $0 }
        guard let architecture else {
            var platform = host
            platform.os = os
            return platform
        }
        // `architecture` may carry a variant (`arm64/v8`); parse it as `Platform` does.
        return (try? Platform(parsing: "\(os)/\(architecture)")) ?? Platform(os: os, architecture: architecture)
    }
}
