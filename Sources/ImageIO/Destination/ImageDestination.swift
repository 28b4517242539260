import Foundation
import OCIModel

/// Where an image goes: an unpacked rootfs, an OCI layout, a docker-archive
/// tarball or a registry repository. `ImageTransfer` is the only caller: it
/// walks the source, verifies every byte on the way, and drives a destination
/// through one attempt — `begin`, blobs and manifests in dependency order
/// (config and layers before their manifest, children before their index),
/// then `commit`, or `discard` on any failure.
public protocol ImageDestination: AnyObject {
    /// What the destination takes from an index: one image chosen by
    /// platform (rootfs, docker-archive) or the whole tree (layout, registry).
    var scope: DestinationScope { get }

    /// Starts an attempt from nothing (a fresh staging directory, a push
    /// session). Called again after `discard` when the transfer restarts.
    func begin() throws

    /// How many blobs `hasBlob` and `putBlob` may be called for at once, on
    /// different threads (1: one at a time, in order, as a rootfs needs).
    var blobConcurrency: Int { get }

    /// Whether the blob is already stored, so its bytes need not be sent.
    func hasBlob(_ blob: Descriptor) throws -> Bool

    /// Stores one blob. `feed` streams the blob's bytes into the consumer it
    /// is given and finishes it only when they matched the descriptor. Returns
    /// the blob as stored: the same descriptor, unless the destination changed
    /// the bytes (a registry gzips a plain-tar layer on the way).
    func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor

    /// Where the transfer's `DigestVerifier` hashes this blob on its way in:
    /// inline unless the destination has a better place (see the extension).
    func blobHasher(for blob: Descriptor, role: BlobRole) -> BlobHasher

    /// Stores a manifest or index byte for byte. The root comes last.
    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws

    /// Makes the result visible, all at once. Runs only when every blob and
    /// document was verified and stored.
    func commit(_ transferred: TransferredImage) throws

    /// Removes whatever this attempt left; the destination is as before `begin`.
    func discard()
}

extension ImageDestination {
    public var blobConcurrency: Int { 1 }
    public func blobHasher(for blob: Descriptor, role: BlobRole) -> BlobHasher { SHA256Hasher() }
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
