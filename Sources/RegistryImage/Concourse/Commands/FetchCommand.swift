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
        // After the request is known to be good: a bad digest fails without a cloud round trip.
        var request = request
        request.source = try CloudLogin.apply(to: request.source, logger: logger)
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)

        var resolved: ResolvedImage?
        if !request.params.skipDownload || metadataFilter.isActive {
            let endpoints = try RepositoryEndpoint.endpoints(
                for: request.source,
                credentialsOverride: (request.params.username, request.params.password),
                logger: logger)
            let platform = PlatformChoice.platform(params: request.params.platform, source: request.source.platform)
            let tagForArchive = request.version.tag ?? request.source.tag ?? "latest"
            let progress = TransferProgress(debug: request.source.debug)
            defer { progress.flush() }
            var lastError: (any Error)?
            for (position, endpoint) in endpoints.enumerated() {
                logger.info("fetching \(request.source.repository)@\(digest)\(endpoint.label.hasPrefix("mirror") ? " via \(endpoint.label)" : "")")
                do {
                    resolved = try FetchRestart.restartingOnRefusedResume(logger: logger) { () throws -> ResolvedImage? in
                        if request.params.skipDownload {
                            // Metadata only: the manifest and config, no layers.
                            return try ImageResolver.resolve(
                                RegistryImageSource(client: endpoint.client, rootDigest: digest), platform: platform)
                        }
                        return try ImageWriter.write(
                            source: RegistryImageSource(client: endpoint.client, rootDigest: digest),
                            platform: platform, format: request.params.format,
                            destination: destination,
                            archiveName: "\(request.source.repository):\(tagForArchive)",
                            progress: progress, logger: logger)
                    }
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

/// A blob that dropped mid-way is resumed with `Range`; when the server cannot
/// resume (answers 200, or another start) its first bytes were already
/// decompressed and applied, so they cannot be fed again. The whole write is
/// then started over: every writer builds into a fresh staging directory and
/// discards the partial one, so nothing is extracted twice. Bounded.
enum FetchRestart {
    static let maxRestarts = 2

    static func restartingOnRefusedResume<Result>(logger: Logger, _ body: () throws -> Result) throws -> Result {
        var restarts = 0
        while true {
            do {
                return try body()
            } catch {
                guard isRefusedResume(error), restarts < maxRestarts else { throw error }
                restarts += 1
                logger.warning("\(error); starting the download over (\(restarts) of \(maxRestarts))")
            }
        }
    }

    /// Whether `error` (possibly wrapped with the layer it happened in) is a
    /// server refusing to resume a blob.
    static func isRefusedResume(_ error: any Error) -> Bool {
        let cause = (error as? LayerFailure)?.underlying ?? error
        guard let registryError = cause as? RegistryError, case .resumeRefused = registryError else { return false }
        return true
    }
}
