import FoundationEssentials
import OCIModel

/// Named files of an image on disk: a directory (OCI layout) or the members
/// of a tarball (docker-archive, OCI archive). Paths are relative and use `/`.
protocol ImageFileStore: AnyObject {
    /// A human name for messages (the directory or tarball path).
    var location: String { get }
    func contains(_ path: String) -> Bool
    /// Size in bytes, nil when absent.
    func size(of path: String) -> Int64?
    /// Streams a file's bytes, then `finish()`.
    func stream(_ path: String, into consumer: BlobConsumer) throws
    /// A file to read at the reader's pace; nil when it can only be streamed
    /// (a tarball's member) or is absent.
    func open(_ path: String) throws -> ByteSource?
}

extension ImageFileStore {
    /// A small file read whole (index.json, manifest.json, manifests, configs).
    func read(_ path: String, limit: Int64 = 64 << 20) throws -> Data {
        guard let size = size(of: path) else { throw ImageError.io("\(path) not found in \(location)") }
        guard size <= limit else { throw ImageError.io("\(path) in \(location) is larger than \(limit) bytes") }
        let collector = DataCollector()
        try stream(path, into: collector)
        return collector.data
    }

    /// A manifest or index stored at the first of `paths` present, verified
    /// against the descriptor that names it.
    func verifiedDocument(at paths: [String], for descriptor: Descriptor) throws -> Data {
        guard let path = paths.first(where: contains) else {
            throw ImageError.blobNotFound(descriptor.digest, in: location)
        }
        let data = try read(path)
        try DigestVerifier.verify(data, against: descriptor)
        return data
    }

    /// A blob's bytes stored at `path`; a foreign layer that is not stored
    /// is named as such (registries and go-containerregistry leave them out).
    func streamBlob(at path: String, _ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        guard contains(path) else {
            if MediaType.isForeignLayer(descriptor.mediaType) { throw ImageError.foreignLayer(descriptor.digest) }
            throw ImageError.blobNotFound(descriptor.digest, in: location)
        }
        try stream(path, into: consumer)
    }

    static func blobPath(_ digest: Digest) -> String { "blobs/\(digest.algorithm)/\(digest.encoded)" }
}
