import FoundationEssentials
import OCIModel

/// What tells one image tarball format from another (docker-archive, OCI
/// archive): what it takes of an index, its member names and the members
/// that close it.
public protocol TarballFormat: Sendable {
    static var scope: DestinationScope { get }
    /// The member a blob is written as (called once per blob written).
    mutating func member(for blob: Descriptor, role: BlobRole) -> String
    /// A blob already written is listed again.
    mutating func reuse(_ blob: Descriptor)
    /// The member a manifest or index is written as; nil when the format keeps none.
    func documentMember(for descriptor: Descriptor) -> String?
    /// The members written last, naming the image.
    func closingMembers(for transferred: TransferredImage) throws -> [(name: String, data: Data)]
}
