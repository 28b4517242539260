import FoundationEssentials
import OCIModel

/// A manifest or index as the registry served it, verified against its digest.
public struct ManifestResponse: Sendable {
    public var data: Data
    public var mediaType: String
    public var digest: Digest

    /// The document as a descriptor (what a HEAD tells about it).
    public var descriptor: Descriptor { Descriptor(mediaType: mediaType, digest: digest, size: Int64(data.count)) }
}
