import FastExtract
import Foundation
import Logging

/// `in DEST`: fetch the requested version into DEST as a rootfs, a
/// docker-load-able tarball or an OCI layout, plus the version files.
public enum FetchCommand {
    public static func run(_ request: InRequest, destination: String) throws -> ResourceResponse {
        let logger = StandardErrorLogHandler.logger(debug: request.source.debug)
        let digest: Digest
        do {
            digest = try Digest(parsing: request.version.digest)
        } catch {
            throw RequestError.invalidValue(field: "version.digest", reason: error.description)
        }
        let metadataFilter = try MetadataFilter(
            labelPattern: request.source.labelRegex, annotationPattern: request.source.annotationRegex)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)

        var resolved: ResolvedImage?
        if !request.params.skipDownload {
            let endpoints = try RepositoryEndpoint.endpoints(
                for: request.source,
                credentialsOverride: (request.params.username, request.params.password),
                logger: logger)
            let platform = try PlatformChoice.platform(params: request.params.platform, source: request.source.platform)
            let tagForArchive = request.version.tag ?? request.source.tag ?? "latest"
            var lastError: (any Error)?
            for (position, endpoint) in endpoints.enumerated() {
                logger.info("fetching \(request.source.repository)@\(digest)\(endpoint.label.hasPrefix("mirror") ? " via \(endpoint.label)" : "")")
                do {
                    let source = RegistryImageSource(client: endpoint.client, rootDigest: digest)
                    resolved = try ImageWriter.write(
                        source: source, platform: platform, format: request.params.format,
                        destination: destination,
                        archiveName: "\(request.source.repository):\(tagForArchive)",
                        progress: TransferProgress(enabled: !request.source.debug), logger: logger)
                    lastError = nil
                    break
                } catch {
                    lastError = error
                    if position < endpoints.count - 1 {
                        logger.warning("download from \(endpoint.label) failed: \(error); trying \(request.source.repository)")
                    }
                }
            }
            if let lastError { throw lastError }
        }

        try VersionFiles.write(
            to: destination, repository: request.source.repository,
            tag: request.version.tag ?? "", digest: request.version.digest)

        var metadata = [
            MetadataField(name: "repository", value: request.source.repository),
            MetadataField(name: "tag", value: request.version.tag ?? ""),
        ]
        if let resolved { metadata += metadataFilter.fields(for: resolved) }
        return ResourceResponse(version: request.version, metadata: metadata)
    }
}

/// The `repository`, `tag` and `digest` files every `in` writes.
enum VersionFiles {
    static func write(to destination: String, repository: String, tag: String, digest: String) throws {
        for (name, value) in [("tag", tag), ("digest", digest), ("repository", repository)] {
            try AtomicFile.write(Data(value.utf8), to: "\(destination)/\(name)")
        }
    }
}

/// Which platform to pick from an index: `params.platform`, then
/// `source.platform`, then the host's (linux/amd64 or linux/arm64).
enum PlatformChoice {
    static func platform(params: PlatformSelection?, source: PlatformSelection?) throws -> Platform {
        let chosen = params ?? source
        var platform = Platform.host
        if let os = chosen?.os, !os.isEmpty { platform.os = os }
        if let architecture = chosen?.architecture, !architecture.isEmpty {
            let parts = architecture.split(separator: "/", maxSplits: 1).map(String.init)
            platform.architecture = parts[0]
            platform.variant = parts.count > 1 ? parts[1] : nil
        }
        return platform
    }
}
