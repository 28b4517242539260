import FoundationEssentials
import OCIModel

/// Where an image goes: an unpacked rootfs, an OCI layout, a docker-archive
/// tarball or a registry repository. `ImageTransfer` is the only caller: it
/// resolves the image in the source first, then `begin`s one attempt, sends
/// it blobs and manifests in dependency order (config and layers before their
/// manifest, children before their index), then `commit`s it, or `discard`s
/// it on any failure. A transfer that starts over begins a new attempt.
public protocol ImageDestination: AnyObject {
    /// What the destination takes from an index: one image chosen by
    /// platform (rootfs, docker-archive) or the whole tree (layout, registry).
    var scope: DestinationScope { get }

    /// How many blobs `hasBlob` and `putBlob` may be called for at once, on
    /// different threads (1: one at a time, in order, as a rootfs needs).
    var blobConcurrency: Int { get }

    /// What the destination's pushes did so far (a registry's), for the
    /// transfer's one summary line; nil for a destination on disk.
    var pushStatistics: PushStatistics? { get }

    /// Starts an attempt from nothing (a fresh staging directory, a push
    /// session); the attempt owns everything staged until it is committed or
    /// discarded.
    func begin() throws -> DestinationAttempt
}

extension ImageDestination {
    public var blobConcurrency: Int { 1 }
    public var pushStatistics: PushStatistics? { nil }
}

/// One attempt at writing an image into a destination, begun by
/// `ImageDestination.begin()`.
public protocol DestinationAttempt: AnyObject {
    /// Whether the blob is already stored, so its bytes need not be sent.
    func hasBlob(_ blob: Descriptor) throws -> Bool

    /// Stores one blob from `feed`, whose bytes are checked against the
    /// descriptor on the way (see `BlobFeed`). Returns the blob as stored: the
    /// same descriptor, unless the destination changed the bytes (a registry
    /// gzips a plain-tar layer on the way).
    func putBlob(_ blob: Descriptor, role: BlobRole, feed: BlobFeed) throws -> Descriptor

    /// Stores a manifest or index byte for byte. The root comes last.
    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws

    /// Makes the result visible, all at once. Runs only when every blob and
    /// document was verified and stored.
    func commit(_ transferred: TransferredImage) throws

    /// Removes whatever this attempt left; the destination is as before `begin`.
    func discard()
}

/// One blob's bytes as the transfer offers them to a destination, which
/// takes them one of two ways: pushed into a consumer it gives (`push`), or,
/// when the source holds the blob as a file, read at its own pace
/// (`openFile`, e.g. an upload whose request body libcurl reads straight from
/// the file). Either way they are verified against the descriptor on the way:
/// the consumer sees `finish()` only for matching bytes, and the file's reader
/// sees an error instead of its end.
public struct BlobFeed {
    private let pushing: (BlobConsumer) throws -> Void
    private let opening: () throws -> ByteSource?

    public init(push: @escaping (BlobConsumer) throws -> Void, openFile: @escaping () throws -> ByteSource? = { nil }) {
        pushing = push
        opening = openFile
    }

    /// Streams the blob's bytes into `consumer`, then finishes it.
    public func push(into consumer: BlobConsumer) throws { try pushing(consumer) }

    /// The blob's bytes to read, when the source has them as a file; nil
    /// otherwise (then `push`).
    public func openFile() throws -> ByteSource? { try opening() }
}

public enum DestinationScope: Sendable {
    case oneImage
    case wholeTree
}

/// Why a blob is sent: destinations treat configs and layers differently.
public enum BlobRole: Sendable, Equatable {
    case config
    /// Layer `number` of `count`, in application order.
    case layer(number: Int, count: Int)
    /// A blob an index names directly (neither manifest nor index).
    case other
}

/// What was transferred, as `commit` and the caller see it.
public struct TransferredImage: Sendable {
    /// The root as stored (its digest changes only if the destination rewrote a manifest).
    public var root: Descriptor
    /// The image chosen for the platform: always set for `.oneImage`; for
    /// `.wholeTree` only when the transfer was asked to resolve one (metadata
    /// of an `oci-layout` fetch) and the tree holds one for the platform.
    public var image: ResolvedImage?
    /// Where the source's blobs live on a registry (a layout records it).
    public var origin: BlobOrigin?
}
