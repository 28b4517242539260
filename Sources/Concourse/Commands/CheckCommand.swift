import FoundationEssentials
import ImageIO
import Logging
import OCIModel
import RegistryClient
import ResourceCore
import Signatures
import Synchronization

/// `check`: discover versions, oldest first, trying a Docker Hub mirror
/// before the origin when one is configured.
public enum CheckCommand {
    public static func run(_ request: CheckRequest) throws -> [ResourceVersion] {
        let logger = StandardErrorLogHandler.logger(debug: request.source.debug)
        let source = try CloudLogin.apply(to: request.source, logger: logger)
        let planner = CheckPlanner(source: source.versions)
        let cursor = request.version
        let platform = PlatformChoice.platform(params: nil, source: source.platform)
        let gate = try SignatureGate.make(for: source, platform: platform, logger: logger)
        let endpoints = try RepositoryEndpoint.endpoints(for: source, logger: logger)
        let versions = try Fallback.first(endpoints, label: \.label, logger: logger, accepting: { !$0.isEmpty }) { endpoint in
            try planner.versions(cursor: cursor, registry: RegistryCheckSource(client: endpoint.client, platform: platform))
        }
        guard let gate else { return versions }
        return try trusted(versions, by: gate, logger: logger)
    }

    /// The versions whose digest the policy trusts, in order; each one passed
    /// over is one stderr line naming its tag, digest and why. Since only
    /// these are reported, Concourse's cursor never moves to an unverified digest.
    static func trusted(_ versions: [ResourceVersion], by gate: SignatureGate, logger: Logger) throws -> [ResourceVersion] {
        let verdicts = try gate.imageClient.concurrentMap(versions) { version -> String? in
            let digest = try Digest(parsing: version.digest)
            do {
                _ = try gate.verify(digest)
                return nil
            } catch let error as SignatureError {
                return error.reasonText
            }
        }
        var kept: [ResourceVersion] = []
        for (version, refusal) in zip(versions, verdicts) {
            guard let refusal else {
                kept.append(version)
                continue
            }
            logger.warning("skipping tag \(version.tag ?? "-") (\(version.digest)), not trusted: \(refusal)")
        }
        return kept
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

/// Tag → digest answers gathered during one check.
private final class KnownDigests: Sendable {
    private let digests = Mutex<[String: Digest]>([:])

    func remember(_ answers: some Sequence<(String, Digest?)>) {
        digests.withLock { digests in
            for case let (tag, digest?) in answers { digests[tag] = digest }
        }
    }

    func digest(of tag: String) -> Digest? { digests.withLock { $0[tag] } }
}
