import FoundationEssentials
import ImageIO

extension ImageSourceLocator {
    /// Opens an image on disk named by a transport location; unqualified
    /// text is a path judged by its content. A registry (which needs a
    /// client) and `rootfs:` (a destination only) are the caller's business.
    public static func locate(_ location: ImageLocation) throws -> LocatedImage {
        switch location {
        case .ociLayout(let path, let reference):
            return LocatedImage(kind: .ociLayout, source: try OCILayoutSource(directory: URL(fileURLWithPath: path), reference: reference))
        case .dockerArchive(let path, let reference):
            return LocatedImage(kind: .dockerArchive, source: try DockerArchiveSource(path: path, reference: reference))
        case .ociArchive(let path, let reference):
            return LocatedImage(kind: .ociArchive, source: try OCIArchiveSource(path: path, reference: reference))
        case .blobDirectory(let path):
            return LocatedImage(kind: .blobDirectory, source: try BlobDirectorySource(directory: URL(fileURLWithPath: path)))
        case .unqualified(let path):
            return try locate(path: path)
        case .registry:
            throw ImageLocationError.invalid(location.description, reason: "a registry is opened through a registry client")
        case .rootfs:
            throw ImageLocationError.notASource(location.description)
        }
    }
}
