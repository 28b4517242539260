import FoundationEssentials
import Glibc

/// Opens an image stored on disk, telling its kind from its content: a
/// directory with `oci-layout` is an OCI layout, a directory with
/// `manifest.json` but no `oci-layout` skopeo's blob directory (`dir:`); a
/// tarball with `manifest.json` a docker-archive (newer `docker save` output also holds an
/// OCI layout, and manifest.json is the older, wider contract); a tarball with
/// `oci-layout` an OCI archive.
public enum ImageSourceLocator {
    public enum Kind: String, Sendable {
        case ociLayout = "OCI layout"
        case dockerArchive = "docker-archive"
        case ociArchive = "OCI archive"
        case blobDirectory = "blob directory"
    }

    /// Opens the image at `path`, telling its kind from its content in the
    /// same pass (a tarball's members are indexed once).
    /// - Parameter reference: a tag or digest choosing one image where the
    ///   store holds several (see each source).
    public static func locate(path: String, reference: String? = nil) throws -> LocatedImage {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImageError.io("\(path) does not exist")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            let store = DirectoryFileStore(directory: URL(fileURLWithPath: path))
            if store.contains(OCILayout.layoutFile) {
                return LocatedImage(
                    kind: .ociLayout, source: try OCILayoutSource(directory: URL(fileURLWithPath: path), reference: reference))
            }
            if BlobDirectorySource.recognises(store) {
                return LocatedImage(kind: .blobDirectory, source: try BlobDirectorySource(directory: URL(fileURLWithPath: path)))
            }
            throw ImageError.unrecognisedImagePath(path)
        }
        let store: TarFileStore
        do {
            store = try TarFileStore(path: path)
        } catch {
            throw ImageError.unrecognisedImagePath(path)
        }
        if store.contains("manifest.json") {
            return LocatedImage(kind: .dockerArchive, source: try DockerArchiveSource(store: store, reference: reference))
        }
        if store.contains(OCILayout.layoutFile) {
            return LocatedImage(kind: .ociArchive, source: try OCIArchiveSource(store: store, reference: reference))
        }
        throw ImageError.unrecognisedImagePath(path)
    }

    public static func open(path: String, reference: String? = nil) throws -> ImageSource {
        try locate(path: path, reference: reference).source
    }
}

/// An image found on disk: what kind of store it is, and its source.
public struct LocatedImage {
    public var kind: ImageSourceLocator.Kind
    public var source: ImageSource

    public init(kind: ImageSourceLocator.Kind, source: ImageSource) {
        self.kind = kind
        self.source = source
    }
}
