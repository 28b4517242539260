import FastExtract
import Foundation
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
    private var staging: StagedDirectory?
    static let versionText = "Directory Transport Version: 1.1\n"

    public init(path: String) {
        self.path = path
    }

    public var scope: DestinationScope { .wholeTree }

    public func begin() throws {
        staging = try StagedDirectory(at: path)
    }

    public func hasBlob(_ blob: Descriptor) throws -> Bool {
        DirectoryFileStore(directory: try directory()).size(of: BlobDirectorySource.blobFile(blob.digest)) == blob.size
    }

    public func putBlob(_ blob: Descriptor, role: BlobRole, feed: (BlobConsumer) throws -> Void) throws -> Descriptor {
        let target = try directory().appendingPathComponent(BlobDirectorySource.blobFile(blob.digest)).path
        try feed(try StagedBlobFile(finalPath: target))
        return blob
    }

    public func putManifest(_ data: Data, for descriptor: Descriptor, isRoot: Bool) throws {
        let name = isRoot ? BlobDirectorySource.manifestFile : BlobDirectorySource.childManifestFile(descriptor.digest)
        try StagedFile.write(data, to: try directory().appendingPathComponent(name).path)
    }

    public func commit(_ transferred: TransferredImage) throws {
        guard let staging else { throw ImageError.io("dir: destination committed before begin()") }
        try StagedFile.write(Data(Self.versionText.utf8), to: staging.url.appendingPathComponent(BlobDirectorySource.versionFile).path)
        try staging.commit()
        self.staging = nil
    }

    public func discard() {
        staging?.discard()
        staging = nil
    }

    private func directory() throws -> URL {
        guard let staging else { throw ImageError.io("dir: destination used before begin()") }
        return staging.url
    }
}
