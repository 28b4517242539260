import OCIModel
import FoundationEssentials

/// Upstream's `unwrapNestedIndex`: while an index lists exactly one entry
/// and that entry is itself an index, the entry is what gets pushed.
enum OCILayoutPushRoot {
    static func unwrapped(_ index: ImageIndex, descriptor: Descriptor, store: ImageFileStore) throws -> Descriptor {
        var current = (index: index, descriptor: descriptor)
        for _ in 0..<ImageResolver.maximumDepth {
            guard current.index.manifests.count == 1, let only = current.index.manifests.first,
                  MediaType.isIndex(only.mediaType) else { return current.descriptor }
            let path = DirectoryFileStore.blobPath(only.digest)
            guard store.contains(path) else { throw ImageError.blobNotFound(only.digest, in: store.location) }
            let data = try store.read(path)
            try DigestVerifier.verify(data, against: only)
            guard case .index(let child) = try ImageResolver.decode(data, descriptor: only) else { return only }
            current = (child, only)
        }
        throw ImageError.indexTooDeep
    }
}
