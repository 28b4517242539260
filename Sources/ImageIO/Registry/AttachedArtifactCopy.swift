import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

/// Brings along what is attached to the digests a registry-to-registry copy
/// moved: cosign's tags (`sha256-<hex>.sig`, `.att`, `.sbom`) and OCI 1.1
/// referrers (the referrers API, else the `sha256-<hex>` fallback tag), of
/// the root and, for an index, of every manifest below it. Each artifact
/// goes through the same `ImageTransfer` (HEAD-skip, mount, stream), by
/// digest, so its signature stays valid. On a destination without the
/// referrers API, each referrer is recorded in its subject's fallback tag.
/// `put` (promotion) and `copy` both use it.
public struct AttachedArtifactCopy {
    public var progress: TransferProgress
    public var logger: Logger
    /// Push settings for the artifacts (upload width, chunking); tags are always replaced.
    public var options: PushOptions

    public init(progress: TransferProgress, logger: Logger, options: PushOptions = PushOptions()) {
        self.progress = progress
        self.logger = logger
        self.options = options
    }

    /// What came along.
    public struct Outcome: Sendable, Equatable {
        /// cosign tags written (signatures, attestations, SBOMs).
        public var attachedTags = 0
        /// Referrers copied.
        public var referrers = 0
    }

    /// Copies the artifacts attached to every manifest of `copied` (a tree
    /// read from `sourceClient`'s repository) into `destination`. The
    /// look-ups (three tags and the referrers per manifest, mostly answered
    /// "none") run `parallelUploads` at a time; the copies one by one.
    public func copy(attachedTo copied: ImageSource, from sourceClient: RegistryClient, to destination: RegistryClient) throws -> Outcome {
        var lookups: [Lookup] = []
        for digest in try Self.manifestDigests(of: copied) {
            lookups += AttachedTagSuffix.allCases.map { .tag(digest.attachedTag($0)) } + [.referrers(of: digest)]
        }
        let found = try ConcurrentWork.map(lookups, width: options.parallelUploads) { lookup, _ -> [Found] in
            switch lookup {
            case .tag(let tag):
                return try sourceClient.headManifest(tag).map { [.tagged($0.digest, tag: tag)] } ?? []
            case .referrers(let subject):
                return try sourceClient.referrers(of: subject).map { .referrer($0, subject: subject) }
            }
        }
        var outcome = Outcome()
        var destinationHasAPI: Bool?
        for artifact in found.joined() {
            switch artifact {
            case .tagged(let digest, let tag):
                try copyArtifact(digest, tags: [tag], from: sourceClient, to: destination)
                outcome.attachedTags += 1
            case .referrer(let referrer, let subject):
                try copyArtifact(referrer.digest, tags: [], from: sourceClient, to: destination)
                if destinationHasAPI == nil { destinationHasAPI = try destination.hasReferrersAPI(probing: subject) }
                if destinationHasAPI == false { try destination.recordReferrerInFallbackTag(referrer, subject: subject) }
                outcome.referrers += 1
            }
        }
        if outcome != Outcome() {
            logger.info("attached artifacts copied: \(outcome.attachedTags) cosign tags, \(outcome.referrers) referrers")
        }
        return outcome
    }

    private enum Lookup {
        case tag(String)
        case referrers(of: Digest)
    }

    private enum Found {
        case tagged(Digest, tag: String)
        case referrer(Descriptor, subject: Digest)
    }

    private func copyArtifact(_ digest: Digest, tags: [String], from sourceClient: RegistryClient, to destination: RegistryClient) throws {
        let source = RegistryImageSource(client: sourceClient, rootDigest: digest)
        var options = self.options
        options.tagMode = .replace
        options.mount(from: source.blobOrigin, pushingTo: destination.registry)
        let target = RegistryDestination(client: destination, tags: tags, options: options, logger: logger)
        logger.debug("copying attached artifact \(digest)\(tags.isEmpty ? "" : " (\(tags.joined(separator: ", ")))")")
        _ = try ImageTransfer(progress: progress, logger: logger).copy(from: source, to: target)
    }

    /// The root's digest and, below an index, every manifest's and index's.
    static func manifestDigests(of source: ImageSource) throws -> [Digest] {
        var digests: [Digest] = []
        func walk(_ descriptor: Descriptor, depth: Int) throws {
            guard depth < ImageResolver.maximumDepth else { throw ImageError.indexTooDeep }
            digests.append(descriptor.digest)
            guard MediaType.isIndex(descriptor.mediaType),
                  case .index(let index) = try ImageResolver.decode(try source.manifestData(for: descriptor), descriptor: descriptor)
            else { return }
            for child in index.manifests where MediaType.isIndex(child.mediaType) || MediaType.isImageManifest(child.mediaType) {
                try walk(child, depth: depth + 1)
            }
        }
        try walk(try source.rootDescriptor(), depth: 0)
        return digests
    }
}
