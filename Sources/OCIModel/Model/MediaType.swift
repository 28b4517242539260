
/// Media types of the OCI image-spec and of Docker's image manifest v2 schema 2.
/// Descriptors carry them as plain strings so unknown types pass through intact.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayerTar = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerTarZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociForeignLayerTar = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    public static let ociForeignLayerTarGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    public static let ociForeignLayerTarZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"

    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerLayerTarGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerForeignLayerTarGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    /// Schema 1 manifests (plain and signed) are recognised only to be refused clearly.
    public static let dockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// Every manifest type a registry client should list in `Accept`.
    /// Generic HTTP content types the registry protocol also uses.
    public static let json = "application/json"
    public static let octetStream = "application/octet-stream"

    public static let acceptedManifests = [ociIndex, ociManifest, dockerManifestList, dockerManifest]

    public static func isIndex(_ type: String) -> Bool {
        type == ociIndex || type == dockerManifestList
    }

    public static func isImageManifest(_ type: String) -> Bool {
        type == ociManifest || type == dockerManifest
    }

    public static func isSchema1(_ type: String) -> Bool {
        type == dockerManifestV1 || type == dockerManifestV1Signed
    }

    /// Foreign (non-distributable) layers are usually not present in a registry
    /// or an archive; they are fetched from `urls`, if at all.
    public static func isForeignLayer(_ type: String) -> Bool {
        type == dockerForeignLayerTarGzip || type.hasPrefix("application/vnd.oci.image.layer.nondistributable.")
    }
}
