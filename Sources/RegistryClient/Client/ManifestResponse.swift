import Foundation
import OCIModel

/// A manifest or index as the registry served it, verified against its digest.
public struct ManifestResponse: Sendable {
    public var data: Data
    public var mediaType: String
    public var digest: Digest

    public init(data: Data, mediaType: String, digest: Digest) {
        self.data = data
        self.mediaType = mediaType
        self.digest = digest
    }
}

/// What a HEAD (or a GET when HEAD does not tell) says about a manifest.
public struct ManifestHead: Sendable, Equatable {
    public var digest: Digest
    public var mediaType: String
    public var size: Int64

    public init(digest: Digest, mediaType: String, size: Int64) {
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
    }
}
