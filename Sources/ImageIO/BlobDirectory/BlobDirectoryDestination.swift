import FoundationEssentials
import OCIModel

/// skopeo's `dir:` layout as a destination: every blob (config, layers) as a
/// file named by its digest's hex, an index's child manifests as
/// `HEX.manifest.json`, the root as `manifest.json`, and `version`
/// (`Directory Transport Version: 1.1`). Built in a staging directory beside
/// the destination and renamed into place by `commit`, so a failed copy
/// leaves nothing that looks complete; an existing destination is replaced
/// only when it is an empty directory.
public final class BlobDirectoryDestination: ImageDestination {
    public let path: String
    static let versionText = "Directory Transport Version: 1.1\n"

    public init(path: String) {
        self.path = path
    }

    public var scope: DestinationScope { .wholeTree }

    public func begin() throws -> DestinationAttempt { BlobDirectoryAttempt(staging: try StagedDirectory(at: path)) }
}

/// One attempt: the staging directory the files go into.
private final class BlobDirectoryAttempt: DestinationAttempt {
    private let staging: StagedDirectory

    init(staging: StagedDirectory) { self.staging = staging }

    func hasBlob(_ blob: Descriptor) throws -> Bool {
        DirectoryFileStore(directory: staging.url).size(of: BlobDirectorySource.blobFile(blob.digest)) == blob.size
    }

    func putBlob(_ blob: Descriptor, role: BlobRole, feed: BlobFeed) throws -> Descriptor {
        let target = staging.url.appendingPathComponent(BlobDirectorySource.blobFile(blob.digest)).path
        try feed.push(into: try StagedBlobFile(finalPath: target))
        return blob
    }

    func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        let name = isRoot ? BlobDirectorySource.manifestFile : BlobDirectorySource.childManifestFile(descriptor.digest)
        try StagedFile.write(data, to: staging.url.appendingPathComponent(name).path)
    }

    func commit(_ transferred: TransferredImage) throws {
        try StagedFile.write(
            Data(BlobDirectoryDestination.versionText.utf8),
            to: staging.url.appendingPathComponent(BlobDirectorySource.versionFile).path)
        try staging.commit()
    }

    func discard() { staging.discard() }
}
