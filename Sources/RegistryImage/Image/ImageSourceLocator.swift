import Foundation

/// Opens an image stored on disk, telling its kind from its content: a
/// directory with `oci-layout` is an OCI layout; a tarball with
/// `manifest.json` a docker-archive, a directory with `manifest.json` but no
/// `oci-layout` skopeo's blob directory (`dir:`); a tarball with
/// `manifest.json` a docker-archive (newer `docker save` output also holds an
/// OCI layout, and manifest.json is the older, wider contract); a tarball with
/// `oci-layout` an OCI archive.
public enum ImageSourceLocator {
    public enum Kind: String, Sendable {
        case ociLayout = "OCI layout"
        case dockerArchive = "docker-archive"
        case ociArchive = "OCI archive"
        case blobDirectory = "blob directory"
    }

    public static func kind(of path: String) throws -> Kind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageError.io("\(path) does not exist")
        }
        if isDirectory.boolValue {
            let store = DirectoryFileStore(directory: URL(fileURLWithPath: path))
            if store.contains(OCILayout.layoutFile) { return .ociLayout }
            if BlobDirectorySource.recognises(store) { return .blobDirectory }
            throw ImageError.unrecognisedImagePath(path)
        }
        let store: TarFileStore
        do {
            store = try TarFileStore(path: path)
        } catch {
            throw ImageError.unrecognisedImagePath(path)
        }
        if store.contains("manifest.json") { return .dockerArchive }
        if store.contains(OCILayout.layoutFile) { return .ociArchive }
        throw ImageError.unrecognisedImagePath(path)
    }

    /// - Parameter reference: a tag or digest choosing one image where the
    ///   store holds several (see each source).
    public static func open(path: String, reference: String? = nil) throws -> ImageSource {
        switch try kind(of: path) {
        case .ociLayout: try OCILayoutSource(directory: URL(fileURLWithPath: path), reference: reference)
        case .dockerArchive: try DockerArchiveSource(path: path, reference: reference)
        case .ociArchive: try OCIArchiveSource(path: path, reference: reference)
        case .blobDirectory: try BlobDirectorySource(directory: URL(fileURLWithPath: path))
        }
    }
}
