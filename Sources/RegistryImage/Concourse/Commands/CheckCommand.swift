import FastExtract
import Foundation
import Logging

/// `check`: discover versions, oldest first, trying a Docker Hub mirror
/// before the origin when one is configured.
public enum CheckCommand {
    public static func run(_ request: CheckRequest) throws -> [CheckVersion] {
        let logger = StandardErrorLogHandler.logger(debug: request.source.debug)
        let source = try CloudLogin.apply(to: request.source, logger: logger)
        let planner = CheckPlanner(source: CheckSource(
            tag: source.tag, tagRegex: source.tagRegex, createdAtSort: source.createdAtSort,
            variant: source.variant, semverConstraint: source.semverConstraint,
            preReleases: source.preReleases, preReleasePrefixes: source.preReleasePrefixes))
        let cursor = request.version.map { CheckVersion(tag: $0.tag ?? "", digest: $0.digest) }
        let platform = PlatformChoice.platform(params: nil, source: source.platform)
        let endpoints = try RepositoryEndpoint.endpoints(for: source, logger: logger)
        for (position, endpoint) in endpoints.enumerated() {
            let isLast = position == endpoints.count - 1
            do {
                let registry = RegistryCheckSource(client: endpoint.client, platform: platform)
                let versions = try planner.versions(cursor: cursor, registry: registry)
                if versions.isEmpty && !isLast {
                    logger.info("\(endpoint.label) has no matching versions; checking \(source.repository) on \(endpoints[position + 1].label)")
                    continue
                }
                return versions
            } catch {
                if isLast { throw error }
                logger.warning("check on \(endpoint.label) failed: \(error); checking \(source.repository) on \(endpoints[position + 1].label)")
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
    /// Digests already looked up in this check, so `createdTimes` reads the
    /// images that were reported instead of asking for every tag again.
    private let known = KnownDigests()

    init(client: RegistryClient, platform: Platform) {
        self.client = client
        self.platform = platform
    }

    func listTags() throws -> [String] { try client.listTags() }

    func digests(for tags: [String]) throws -> [String?] {
        let heads = try client.headManifests(tags)
        known.remember(zip(tags, heads.map { $0?.digest }))
        return heads.map { $0?.digest.description }
    }

    func manifestExists(digest: String) throws -> Bool {
        try client.headManifest(digest) != nil
    }

    /// Concurrently, per tag: its digest (remembered, else HEAD), then the
    /// manifest (and index child) and config, since each costs round trips.
    func createdTimes(for tags: [String]) throws -> [Date?] {
        let client = client
        let platform = platform
        let known = known
        return try client.concurrentMap(tags) { tag in
            guard let digest = try known.digest(of: tag) ?? client.headManifest(tag)?.digest else { return nil }
            let image = try ImageResolver.resolve(RegistryImageSource(client: client, rootDigest: digest), platform: platform)
            return image.config.created
        }
    }
}

/// Tag → digest answers gathered during one check (thread-safe).
private final class KnownDigests: @unchecked Sendable {
    private let lock = NSLock()
    private var digests: [String: Digest] = [:]

    func remember(_ answers: some Sequence<(String, Digest?)>) {
        lock.withLock {
            for case let (tag, digest?) in answers { digests[tag] = digest }
        }
    }

    func digest(of tag: String) -> Digest? { lock.withLock { digests[tag] } }
}
