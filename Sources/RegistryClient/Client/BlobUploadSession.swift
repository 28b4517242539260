import FoundationEssentials

/// An upload the registry opened with `POST /v2/NAME/blobs/uploads/`: where
/// the next bytes go, and how many it holds.
public struct BlobUploadSession {
    /// The absolute URL from the latest `Location` (it may change per chunk).
    public var location: URL
    public var offset: Int64 = 0
    /// `OCI-Chunk-Min-Length`: chunks (except the last) must be at least this long.
    public var minimumChunk: Int = 0
}

/// The registry's answer to opening an upload.
public enum BlobUploadStart {
    /// A cross-repository mount succeeded: the blob is there, nothing to send.
    case mounted
    case session(BlobUploadSession)
}
