/// An image tarball, written by one `TarballAttempt` per try; `Format`
/// makes it a docker-archive (`DockerArchiveDestination`) or an OCI archive
/// (`OCIArchiveDestination`).
public final class TarballDestination<Format: TarballFormat>: ImageDestination {
    public let path: String
    private let format: Format

    init(path: String, format: Format) {
        self.path = path
        self.format = format
    }

    public var scope: DestinationScope { Format.scope }

    public func begin() throws -> DestinationAttempt { try TarballAttempt(path: path, format: format) }
}
