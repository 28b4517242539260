import FoundationEssentials
import OCIModel

/// Picks one image out of a source: the root manifest itself, or a child of
/// the root index chosen by platform (descending nested indexes, as skopeo
/// writes them into OCI layouts) or by digest.
public enum ImageResolver {
    static let maximumDepth = 8

    /// - Parameters:
    ///   - platform: the platform wanted from an index; `Platform.host` when nil.
    ///   - digest: when set, the manifest (or root) with this digest is taken,
    ///     wherever it sits in the tree; when it names an index, `platform`
    ///     chooses inside that index.
    public static func resolve(_ source: ImageSource, platform: Platform?, digest: Digest? = nil) throws -> ResolvedImage {
        let root = try source.rootDescriptor()
        let rootData = try source.manifestData(for: root)
        let rootKind = try decode(rootData, descriptor: root)

        var rootIndex: ImageIndex?
        let chosen: (Descriptor, Data, ImageManifest)
        switch rootKind {
        case .manifest(let manifest):
            if let digest, digest != root.digest { throw ImageError.digestNotFound(digest) }
            chosen = (root, rootData, manifest)
        case .index(let index):
            rootIndex = index
            // A digest naming the root index itself asks for a platform from it.
            let digest = digest == root.digest ? nil : digest
            if let digest {
                guard let found = try find(digest, in: index, platform: platform, source: source, depth: 0) else {
                    throw ImageError.digestNotFound(digest)
                }
                chosen = found
            } else {
                let wanted = platform ?? Platform.host
                var available: [String] = []
                guard let found = try select(wanted, in: index, source: source, depth: 0, available: &available) else {
                    throw ImageError.noMatchingPlatform(wanted: wanted, available: available)
                }
                chosen = found
            }
        }
        let (descriptor, data, manifest) = chosen
        let configData = try source.blobData(for: manifest.config)
        let config: ImageConfig
        do {
            config = try JSONDecoder().decode(ImageConfig.self, from: configData)
        } catch {
            throw ImageError.model(.malformed(what: "image config", detail: String(describing: error)))
        }
        return ResolvedImage(
            root: root, rootData: rootData, index: rootIndex, manifestDescriptor: descriptor,
            manifestData: data, manifest: manifest, configData: configData, config: config)
    }

    public static func decode(_ data: Data, descriptor: Descriptor) throws(ImageError) -> ManifestKind {
        do {
            return try ManifestKind.decode(data, mediaType: descriptor.mediaType)
        } catch {
            throw .model(error)
        }
    }

    /// Depth-first search for a manifest by digest; a matching nested index
    /// is searched by `platform`.
    private static func find(
        _ digest: Digest, in index: ImageIndex, platform: Platform?, source: ImageSource, depth: Int
    ) throws -> (Descriptor, Data, ImageManifest)? {
        guard depth < maximumDepth else { throw ImageError.indexTooDeep }
        for child in index.manifests {
            if child.digest == digest {
                let data = try source.manifestData(for: child)
                switch try decode(data, descriptor: child) {
                case .manifest(let manifest):
                    return (child, data, manifest)
                case .index(let nested):
                    let wanted = platform ?? Platform.host
                    var available: [String] = []
                    guard let found = try select(wanted, in: nested, source: source, depth: depth + 1, available: &available)
                    else { throw ImageError.noMatchingPlatform(wanted: wanted, available: available) }
                    return found
                }
            }
            if MediaType.isIndex(child.mediaType) {
                let data = try source.manifestData(for: child)
                guard case .index(let nested) = try decode(data, descriptor: child) else { continue }
                if let found = try find(digest, in: nested, platform: platform, source: source, depth: depth + 1) {
                    return found
                }
            }
        }
        return nil
    }

    /// The best platform match among the index's image manifests; failing
    /// that, the first match inside a nested index. A child manifest without a
    /// `platform` field (common in OCI layouts' index.json) is judged by its
    /// config's os/architecture.
    private static func select(
        _ wanted: Platform, in index: ImageIndex, source: ImageSource, depth: Int, available: inout [String]
    ) throws -> (Descriptor, Data, ImageManifest)? {
        guard depth < maximumDepth else { throw ImageError.indexTooDeep }
        var best: (rank: Int, descriptor: Descriptor, data: Data?, manifest: ImageManifest?)?
        var nested: [Descriptor] = []
        for child in index.manifests {
            if MediaType.isIndex(child.mediaType) {
                nested.append(child)
                continue
            }
            var platform = child.platform
            var data: Data?
            var manifest: ImageManifest?
            if platform == nil {
                let childData = try source.manifestData(for: child)
                let kind = try decode(childData, descriptor: child)
                guard case .manifest(let childManifest) = kind else {
                    nested.append(child)
                    continue
                }
                let config = try JSONDecoder().decode(ImageConfig.self, from: source.blobData(for: childManifest.config))
                platform = config.platform
                data = childData
                manifest = childManifest
            }
            guard let platform else { continue }
            available.append(platform.description)
            if let rank = wanted.matchRank(of: platform), rank < (best?.rank ?? Int.max) {
                best = (rank, child, data, manifest)
            }
        }
        if let best {
            let data = try best.data ?? source.manifestData(for: best.descriptor)
            if let manifest = best.manifest { return (best.descriptor, data, manifest) }
            guard case .manifest(let manifest) = try decode(data, descriptor: best.descriptor) else {
                throw ImageError.notAnImage(best.descriptor.digest, mediaType: best.descriptor.mediaType)
            }
            return (best.descriptor, data, manifest)
        }
        for child in nested {
            let data = try source.manifestData(for: child)
            guard case .index(let inner) = try decode(data, descriptor: child) else { continue }
            if let found = try select(wanted, in: inner, source: source, depth: depth + 1, available: &available) {
                return found
            }
        }
        return nil
    }
}
