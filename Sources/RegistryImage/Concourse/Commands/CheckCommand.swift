import FastExtract
import Foundation
import Logging

/// `check`: discover versions, oldest first, trying a Docker Hub mirror
/// before the origin when one is configured.
public enum CheckCommand {
    public static func run(_ request: CheckRequest) throws -> [CheckVersion] {
        let logger = StandardErrorLogHandler.logger(debug: request.source.debug)
        let source = request.source
        let planner = CheckPlanner(source: CheckSource(
            tag: source.tag, tagRegex: source.tagRegex, createdAtSort: source.createdAtSort,
            variant: source.variant, semverConstraint: source.semverConstraint,
            preReleases: source.preReleases, preReleasePrefixes: source.preReleasePrefixes))
        let cursor = request.version.map { CheckVersion(tag: $0.tag ?? "", digest: $0.digest) }
        let platform = try PlatformChoice.platform(params: nil, source: source.platform)
        let endpoints = try RepositoryEndpoint.endpoints(for: source, logger: logger)
        for (position, endpoint) in endpoints.enumerated() {
            let isLast = position == endpoints.count - 1
            do {
                let registry = RegistryCheckSource(client: endpoint.client, platform: platform)
                let versions = try planner.versions(cursor: cursor, registry: registry)
                if versions.isEmpty && !isLast {
                    logger.info("\(endpoint.label) has no matching versions; checking \(source.repository)")
                    continue
                }
                return versions
            } catch {
                if isLast { throw error }
                logger.warning("check on \(endpoint.label) failed: \(error); checking \(source.repository)")
            }
        }
        return []
    }
}

/// Answers the check planner's questions from a registry: tag listings,
/// concurrent digest lookups and config creation times.
struct RegistryCheckSource: CheckRegistry {
    let client: RegistryClient
    let platform: Platform

    func listTags() throws -> [String] { try client.listTags() }

    func digests(for tags: [String]) throws -> [String?] {
        try client.headManifests(tags).map { $0?.digest.description }
    }

    func manifestExists(digest: String) throws -> Bool {
        try client.headManifest(digest) != nil
    }

    /// One worker per tag: HEAD, then manifest (and index child) and config,
    /// concurrently, since each costs several round trips.
    func createdTimes(for tags: [String]) throws -> [Date?] {
        let client = client
        let platform = platform
        return try client.concurrentMap(tags) { tag in
            guard let head = try client.headManifest(tag) else { return nil }
            let image = try ImageResolver.resolve(
                RegistryImageSource(client: client, rootDigest: head.digest), platform: platform)
            return image.config.created
        }
    }
}
