import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

/// How a pushed root goes under its tags.
public enum TagMode: Sendable, Equatable {
    /// Each tag names the root itself.
    case replace
    /// The root (one image) is merged into the index each tag names.
    case mergePlatform
}

/// A tag as written: the document it names now.
public struct PublishedTag: Sendable, Equatable {
    public var tag: String
    public var descriptor: Descriptor
}

/// The last step of a registry push: writes the root under each tag (or
/// merges it into each tag's index), leaves alone a tag that already names
/// what it would get (an immutable tag is never rewritten to the same
/// digest), reports a refused write as one line naming the tag, then waits
/// until a GET of every tag answers what was written, so the reader that
/// follows (Concourse's implicit `get`) never meets the previous image on an
/// eventually consistent registry.
struct TagPublisher {
    let client: RegistryClient
    let logger: Logger
    let visibilityTimeoutMs = TagPublisher.visibilityTimeoutMs()
    /// Attempts at merging into a tag that another writer keeps moving.
    static let mergeAttempts = 5

    /// `RI_VISIBLE_TIMEOUT_MS` (default 30 s): how long to wait for the tags.
    static func visibilityTimeoutMs() -> Int {
        guard let text = ProcessInfo.processInfo.environment["RI_VISIBLE_TIMEOUT_MS"], let value = Int(text), value >= 0
        else { return 30_000 }
        return value
    }

    func publish(_ data: Data, descriptor: Descriptor, tags: [String], mode: TagMode) throws -> [PublishedTag] {
        var published: [PublishedTag] = []
        switch mode {
        case .replace:
            guard !tags.isEmpty else {
                try client.putManifest(data, mediaType: descriptor.mediaType, reference: descriptor.digest.description)
                return []
            }
            for tag in tags {
                try write(data, descriptor: descriptor, tag: tag, current: try client.headManifest(tag)?.digest)
                published.append(PublishedTag(tag: tag, descriptor: descriptor))
            }
        case .mergePlatform:
            guard MediaType.isImageManifest(descriptor.mediaType) else { throw TagPublishError.notSingleImage(descriptor.digest) }
            try client.putManifest(data, mediaType: descriptor.mediaType, reference: descriptor.digest.description)
            let platform = try platform(ofManifest: data, digest: descriptor.digest)
            for tag in tags {
                published.append(PublishedTag(tag: tag, descriptor: try merge(descriptor, platform: platform, into: tag)))
            }
        }
        try waitUntilVisible(published)
        return published
    }

    /// PUTs `data` under `tag` unless the tag already names it.
    private func write(_ data: Data, descriptor: Descriptor, tag: String, current: Digest?) throws {
        if current == descriptor.digest {
            logger.info("\(client.registry)/\(client.repository):\(tag) already names \(descriptor.digest); left as it is")
            return
        }
        do {
            try client.putManifest(data, mediaType: descriptor.mediaType, reference: tag)
        } catch RegistryError.httpStatus(let status, _, let message) where (400..<500).contains(status) {
            throw TagPublishError.refused(
                tag: tag, repository: "\(client.registry)/\(client.repository)", status: status, message: message)
        }
        logger.info("pushed \(client.registry)/\(client.repository):\(tag) (\(descriptor.digest))")
    }

    /// Reads the tag, merges, and writes only if the tag still names what was
    /// read; when it moved meanwhile (another worker's merge), reads again.
    /// Registries have no compare-and-swap for tags: the window left is the
    /// time between the second read and the PUT.
    private func merge(_ image: Descriptor, platform: Platform, into tag: String) throws -> Descriptor {
        for attempt in 1...Self.mergeAttempts {
            let head = try client.headManifest(tag)
            let current = try currentContent(of: tag, head: head)
            let index = PlatformIndexMerge.merge(image, platform: platform, into: current)
            let data = try JSONOutput.encode(index)
            let mediaType = index.mediaType ?? MediaType.ociIndex
            let merged = Descriptor(mediaType: mediaType, digest: SHA256Hasher.digest(of: data), size: Int64(data.count))
            if head?.digest != merged.digest, try client.headManifest(tag)?.digest != head?.digest {
                logger.info("tag \(tag) moved while merging \(platform); reading it again (\(attempt) of \(Self.mergeAttempts))")
                continue
            }
            try write(data, descriptor: merged, tag: tag, current: head?.digest)
            return merged
        }
        throw TagPublishError.keptMoving(tag: tag, attempts: Self.mergeAttempts)
    }

    private func currentContent(of tag: String, head: Descriptor?) throws -> PlatformIndexMerge.Current {
        guard let head else { return .missing }
        let response = try client.fetchManifest(head.digest.description)
        if MediaType.isIndex(response.mediaType) {
            guard let index = try? JSONDecoder().decode(ImageIndex.self, from: response.data) else {
                throw TagPublishError.unmergeable(tag: tag, reason: "its index \(head.digest) cannot be decoded")
            }
            return .index(index)
        }
        guard MediaType.isImageManifest(response.mediaType) else {
            throw TagPublishError.unmergeable(tag: tag, reason: "it holds \(response.mediaType), neither an image nor an index")
        }
        let platform = try self.platform(ofManifest: response.data, digest: head.digest)
        return .image(response.descriptor, platform: platform)
    }

    /// The platform an image's config declares (the config read from the registry, verified).
    private func platform(ofManifest data: Data, digest: Digest) throws -> Platform {
        let manifest: ImageManifest
        do {
            manifest = try JSONDecoder().decode(ImageManifest.self, from: data)
        } catch {
            throw ImageError.io("the image manifest cannot be decoded: \(error)")
        }
        let configData = try RegistryImageSource(client: client, rootDigest: digest)
            .blobData(for: manifest.config, limit: 16 << 20)
        do {
            let config = try JSONDecoder().decode(ImageConfig.self, from: configData)
            return config.platform
        } catch {
            throw ImageError.io("config \(manifest.config.digest) declares no platform: \(error)")
        }
    }

    /// Polls each tag until it answers what was written, within the bound
    /// (pauses from 100 ms, doubling up to 1 s).
    private func waitUntilVisible(_ published: [PublishedTag]) throws {
        let start = ContinuousClock.now
        for entry in published {
            var pauseMs = 100
            while true {
                let seen = try client.headManifest(entry.tag)?.digest
                if seen == entry.descriptor.digest { break }
                let waitedMs = Int((ContinuousClock.now - start) / .milliseconds(1))
                guard waitedMs < visibilityTimeoutMs else {
                    throw TagPublishError.notVisible(
                        tag: entry.tag, repository: "\(client.registry)/\(client.repository)",
                        pushed: entry.descriptor.digest, seen: seen, waitedMs: waitedMs)
                }
                logger.debug("\(entry.tag) still answers \(seen?.description ?? "nothing"); waiting for \(entry.descriptor.digest)")
                PosixThread.sleep(seconds: Double(min(pauseMs, visibilityTimeoutMs - waitedMs)) / 1000)
                pauseMs = min(pauseMs * 2, 1000)
            }
        }
    }
}
