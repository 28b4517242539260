/// An image tarball, written by one `TarballAttempt` per try; `Format`
/// makes it a docker-archive (`DockerArchiveDestination`) or an OCI archive
/// (`OCIArchiveDestination`).
public final class TarballDestination<Format: TarballFormat>: PathDestination {
    init(path: String, format: Format) {
        super.init(path: path, scope: Format.scope) { try TarballAttempt(path: $0, format: format) }
    }
}
