import FoundationEssentials

/// How an image is pushed.
public struct PushOptions: Sendable {
    /// At most this many bytes per upload request (`PATCH`es, then the
    /// closing `PUT`); nil sends each blob in one streamed `PUT`. Memory does
    /// not depend on it: every upload streams (from a file, or through a
    /// 512 KiB channel).
    public var chunkSize: Int?
    /// Gzip plain-tar layers on the way (docker-archive layers are plain
    /// tar; as upstream, they are pushed compressed). Off for OCI sources,
    /// whose digests must be kept.
    public var compressPlainLayers: Bool
    /// Repositories on the same registry to mount missing blobs from.
    public var mountFrom: [String]
    /// Blobs uploaded at once, each on its own connection.
    public var parallelUploads: Int
    /// How the root goes under the tags (`TagPublisher`).
    public var tagMode: TagMode = .replace

    public init(chunkSize: Int? = nil, compressPlainLayers: Bool = false, mountFrom: [String] = [],
                parallelUploads: Int = PushOptions.defaultParallelUploads) {
        self.chunkSize = chunkSize
        self.compressPlainLayers = compressPlainLayers
        self.mountFrom = mountFrom
        self.parallelUploads = max(parallelUploads, 1)
    }

    /// 4 (as go-containerregistry), or `RI_PUSH_PARALLEL` (1 to 16) from the environment.
    public static var defaultParallelUploads: Int {
        let wanted = ProcessInfo.processInfo.environment["RI_PUSH_PARALLEL"].flatMap { Int($0) } ?? 4
        return min(max(wanted, 1), 16)
    }

    /// Adds the repository an image's blobs came from, when it is on
    /// `registry` (the one pushed to): they are mounted there, not sent.
    public mutating func mount(from origin: BlobOrigin?, pushingTo registry: String) {
        guard let origin, origin.registry == registry, !mountFrom.contains(origin.repository) else { return }
        mountFrom.append(origin.repository)
    }
}

/// What a push did, for logs and tests.
public struct PushStatistics: Sendable, Equatable {
    public var blobsUploaded = 0
    public var blobsSkipped = 0
    public var blobsMounted = 0
    public var bytesUploaded: Int64 = 0

    public init() {}
}
