import FoundationEssentials
import OCIModel

/// An OCI image layout directory: `oci-layout`, `blobs/sha256/…` and
/// `index.json`, built in a staging directory and renamed into place by
/// `commit`. `index.json` lists the root (tagged `refName` when given). As
/// `in` writes it (`writesSingleImageMarker`, go-containerregistry's
/// `layout.Write` for upstream): an index root *is* `index.json`, byte for
/// byte (so it hashes to the version's digest); a single-image root is
/// wrapped and named by `single-image-digest`. The blobs' registry
/// repository, when the source knows one, goes in `blob-origin.json`.
public final class OCILayoutDestination: PathDestination {
    public init(path: String, refName: String? = nil, writesSingleImageMarker: Bool = false) {
        super.init(path: path, scope: .wholeTree) { try OCILayoutAttempt(path: $0, refName: refName, writesSingleImageMarker: writesSingleImageMarker) }
    }
}

/// One attempt: the staging directory and the layout writer building into it.
private final class OCILayoutAttempt: DestinationAttempt {
    private let refName: String?
    private let writesSingleImageMarker: Bool
    private let build: StagedBuild<OCILayoutWriter>
    /// The root index's bytes, when they become index.json.
    private var rootIndex: Data?

    init(path: String, refName: String?, writesSingleImageMarker: Bool) throws {
        self.refName = refName
        self.writesSingleImageMarker = writesSingleImageMarker
        build = try StagedBuild(at: path) { try OCILayoutWriter(directory: $0.url) }
    }

    func hasBlob(_ blob: Descriptor) throws -> Bool { build.writer.hasBlob(blob) }

    func putBlob(_ blob: Descriptor, role: BlobRole, feed: BlobFeed) throws -> Descriptor {
        try feed.push(into: try build.writer.blobWriter(for: blob))
        return blob
    }

    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        if isRoot && writesSingleImageMarker && MediaType.isIndex(descriptor.mediaType) {
            rootIndex = data
            return
        }
        if !build.writer.hasBlob(descriptor) { try build.writer.writeBlob(data, for: descriptor) }
    }

    func commit(_ transferred: TransferredImage) throws {
        let root = transferred.root
        try build.writer.finish(rawIndex: rootIndex ?? OCILayout.index(listing: root, refName: refName))
        if writesSingleImageMarker && !MediaType.isIndex(root.mediaType) {
            try StagedFile.write(
                Data(root.digest.description.utf8),
                to: build.directory.url.appendingPathComponent(OCILayout.singleImageDigestFile).path)
        }
        if let origin = transferred.origin {
            try StagedFile.write(
                try JSONOutput.encode(origin), to: build.directory.url.appendingPathComponent(OCILayout.blobOriginFile).path)
        }
        try build.directory.commit()
    }

    func discard() { build.directory.discard() }
}
