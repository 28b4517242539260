import Logging

/// The shapes `in` and `pull` write an image in.
public enum ImageFormat: String, CaseIterable, Sendable {
    /// An unpacked root filesystem plus metadata.json and labels.json.
    case rootfs
    /// A `docker load`-able tarball.
    case oci
    /// An OCI image layout directory.
    case ociLayout = "oci-layout"
}

extension ImageFormat {
    /// Where `in` and `pull` put an image of this format inside `directory`:
    /// `rootfs/`, `image.tar` (tagged `archiveName`) or `oci/`.
    public func destination(in directory: String, archiveName: String, logger: Logger) -> ImageDestination {
        switch self {
        case .rootfs: RootfsDestination(path: "\(directory)/rootfs", logger: logger)
        case .oci: DockerArchiveDestination(path: "\(directory)/image.tar", repoTags: [archiveName])
        case .ociLayout: OCILayoutDestination(path: "\(directory)/oci", writesSingleImageMarker: true)
        }
    }

    /// The files upstream writes beside the image: `metadata.json` for a
    /// rootfs, `labels.json` for a rootfs or tarball.
    public func writeMetadataFiles(for image: ResolvedImage?, in directory: String) throws {
        guard self != .ociLayout, let image else { return }
        if self == .rootfs { try ImageMetadataFiles.writeMetadata(for: image.config, to: directory) }
        try ImageMetadataFiles.writeLabels(for: image.config, to: directory)
    }
}
