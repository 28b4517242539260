import FoundationEssentials
import OCIModel

/// Puts one platform's image into an index: the entry of the same platform
/// (os, architecture, variant, normalised; arm/v7 and arm/v6 differ) is
/// replaced, every other entry and the index's annotations are kept. Pure:
/// the registry side is `TagPublisher`'s.
public enum PlatformIndexMerge {
    /// What a tag holds before the merge.
    public enum Current: Sendable {
        /// Nothing: the result is an index of one.
        case missing
        case index(ImageIndex)
        /// A single image of `platform` (its descriptor names it).
        case image(Descriptor, platform: Platform)
    }

    /// The index to write: `image` (its `platform` set) merged into `current`.
    public static func merge(_ image: Descriptor, platform: Platform, into current: Current) -> ImageIndex {
        var index: ImageIndex
        switch current {
        case .missing:
            index = ImageIndex(manifests: [])
        case .index(let existing):
            index = existing
        case .image(var single, let singlePlatform):
            single.platform = singlePlatform
            index = ImageIndex(manifests: [single])
        }
        let wanted = key(platform)
        index.manifests.removeAll { $0.platform.map(key) == wanted }
        var entry = image
        entry.platform = platform
        index.manifests.append(entry)
        // A Docker list holds only Docker manifests; any OCI entry makes it an OCI index.
        let allDocker = index.manifests.allSatisfy { $0.mediaType == MediaType.dockerManifest }
        index.mediaType = allDocker ? MediaType.dockerManifestList : MediaType.ociIndex
        index.schemaVersion = 2
        return index
    }

    /// The identity of an index entry's platform.
    static func key(_ platform: Platform) -> String {
        let normal = platform.normalized
        return "\(normal.os)/\(normal.architecture)/\(normal.variant ?? "")"
    }
}
