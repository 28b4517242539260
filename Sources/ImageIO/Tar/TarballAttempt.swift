import FoundationEssentials
import OCIModel

/// One attempt at an image tarball (docker-archive, OCI archive): blobs and
/// documents stream into a `StagedFile` as tar members as they arrive; the
/// format names them and adds its closing members at `commit`, when the
/// file is renamed into place.
final class TarballAttempt<Format: TarballFormat>: DestinationAttempt {
    private let file: StagedFile
    private let tar: TarArchiveWriter
    private var format: Format
    private var written: Set<Digest> = []

    init(path: String, format: Format) throws {
        file = try StagedFile(finalPath: path)
        tar = try TarArchiveWriter(file: file)
        self.format = format
    }

    func hasBlob(_ blob: Descriptor) throws -> Bool {
        guard written.contains(blob.digest) else { return false }
        format.reuse(blob)
        return true
    }

    func putBlob(_ blob: Descriptor, role: BlobRole, feed: BlobFeed) throws -> Descriptor {
        try tar.beginMember(format.member(for: blob, role: role), size: blob.size)
        try feed.push(into: TarMemberConsumer(writer: tar))
        written.insert(blob.digest)
        return blob
    }

    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        guard let name = format.documentMember(for: descriptor), !written.contains(descriptor.digest) else { return }
        try member(name, data)
        written.insert(descriptor.digest)
    }

    func commit(_ transferred: TransferredImage) throws {
        for (name, data) in try format.closingMembers(for: transferred) { try member(name, data) }
        try tar.close()
        try file.commit()
    }

    func discard() {
        tar.abandon()
        file.discard()
    }

    private func member(_ name: String, _ data: Data) throws {
        try tar.beginMember(name, size: Int64(data.count))
        try data.withUnsafeBytes { try tar.write($0) }
    }
}

/// What tells one image tarball format from another: its member names and
/// the members that close it.
protocol TarballFormat {
    /// The member a blob is written as (called once per blob written).
    mutating func member(for blob: Descriptor, role: BlobRole) -> String
    /// A blob already written is listed again.
    mutating func reuse(_ blob: Descriptor)
    /// The member a manifest or index is written as; nil when the format keeps none.
    func documentMember(for descriptor: Descriptor) -> String?
    /// The members written last, naming the image.
    func closingMembers(for transferred: TransferredImage) throws -> [(name: String, data: Data)]
}
