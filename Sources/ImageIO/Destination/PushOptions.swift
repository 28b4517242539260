import FastExtract
import OCIModel
import RegistryClient

/// How an image is pushed.
public struct PushOptions: Sendable {
    /// Bytes per `PATCH`; also the most an upload holds in memory.
    public var chunkSize: Int
    /// Gzip plain-tar layers on the way (docker-archive layers are plain
    /// tar; as upstream, they are pushed compressed). Off for OCI sources,
    /// whose digests must be kept.
    public var compressPlainLayers: Bool
    /// Repositories on the same registry to mount missing blobs from.
    public var mountFrom: [String]

    public init(chunkSize: Int = 32 << 20, compressPlainLayers: Bool = false, mountFrom: [String] = []) {
        self.chunkSize = chunkSize
        self.compressPlainLayers = compressPlainLayers
        self.mountFrom = mountFrom
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
