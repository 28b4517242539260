import Foundation
import Logging
@testable import ImageIO
@testable import OCIModel
import TestSupport
import Testing

/// Layout and docker-archive results of the one transfer path.
@Suite struct ImageDestinationTests {
    @discardableResult
    private func copy(_ source: ImageSource, to destination: ImageDestination) throws -> Descriptor {
        try ImageTransfer(progress: TransferProgress(enabled: false), logger: Logger(label: "test"))
            .copy(from: source, to: destination).root
    }

    @Test func layoutCopyOfNestedIndexIsReadBySkopeoAndUmoci() throws {
        let source = try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path("layout-multi")))
        let scratch = try TemporaryDirectory()
        let output = scratch.appending("oci")
        let root = try copy(source, to: OCILayoutDestination(path: output.path, refName: "latest"))
        #expect(root.digest.description == (try ImageFixtures.expected("multi", "index")))
        // Every blob of every platform came across, byte for byte.
        let original = try FileManager.default.contentsOfDirectory(atPath: ImageFixtures.path("layout-multi") + "/blobs/sha256")
        let copied = try FileManager.default.contentsOfDirectory(atPath: output.path + "/blobs/sha256")
        #expect(Set(copied) == Set(original))

        let inspect = try ExternalCommand.run(
            "skopeo", ["inspect", "--override-arch", "arm", "--override-variant", "v6", "oci:\(output.path):latest"])
        #expect(inspect.status == 0)
        let inspected = try JSONSerialization.jsonObject(with: inspect.stdout) as? [String: Any]
        #expect(inspected?["Digest"] as? String == (try ImageFixtures.expected("multi", "index")))
        #expect(inspected?["Architecture"] as? String == "arm")
        let raw = try ExternalCommand.run("skopeo", ["inspect", "--raw", "oci:\(output.path):latest"])
        #expect(raw.status == 0)
        #expect(raw.stdout == (try source.manifestData(for: root)))  // the index's bytes were kept as they were

        // Reading back our own output picks the same image.
        let back = try ImageResolver.resolve(
            OCILayoutSource(directory: scratch.appending("oci"), reference: "latest"), platform: Platform(parsing: "linux/arm64"))
        #expect(back.manifestDescriptor.digest.description == (try ImageFixtures.expected("multi", "arm64/v8")))
    }

    @Test func layoutOfSingleImageUnpacksWithUmoci() throws {
        let source = try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path("layout-single")))
        let work = try TemporaryDirectory()
        let output = work.appending("oci")
        try copy(source, to: OCILayoutDestination(path: output.path, refName: "v1"))
        let unpack = try ExternalCommand.run(
            "umoci", ["--log", "error", "unpack", "--rootless", "--image", "\(output.path):v1", work.appending("bundle").path])
        #expect(unpack.status == 0)
        let hello = try String(contentsOf: work.appending("bundle/rootfs/etc/hello"), encoding: .utf8)
        #expect(hello == "hello\n")
    }

    @Test func unverifiedBlobNeverAppears() throws {
        let source = try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path("layout-corrupt")))
        let scratch = try TemporaryDirectory()
        let output = scratch.appending("oci")
        #expect(throws: LayerFailure.self) { try copy(source, to: OCILayoutDestination(path: output.path)) }
        let image = try ImageResolver.resolve(source, platform: nil)
        // The staged layout is gone as a whole, and nothing of it sits beside it.
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
        let blobs = (try? FileManager.default.contentsOfDirectory(atPath: output.path + "/blobs/sha256")) ?? []
        #expect(!blobs.contains(image.manifest.layers[1].digest.encoded))
        #expect(!blobs.contains { $0.contains(".partial") })
        #expect(!FileManager.default.fileExists(atPath: output.path + "/index.json"))
    }

    /// The image is resolved before the destination is begun: a source
    /// without it (a mirror lacking it, say) costs no staging and no thread.
    @Test(arguments: [DestinationScope.oneImage, .wholeTree])
    func failedResolveBeginsNoAttempt(scope: DestinationScope) throws {
        let layout = try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path("layout-single")))
        let missing = Descriptor(
            mediaType: MediaType.ociManifest, digest: Digest(sha256Hex: String(repeating: "0", count: 64)), size: 2)
        let destination = AttemptCounter(scope: scope)
        var transfer = ImageTransfer(progress: TransferProgress(enabled: false), logger: Logger(label: "test"))
        transfer.digest = missing.digest
        #expect(throws: ImageError.self) {
            try transfer.copy(from: RerootedImageSource(layout, root: missing), to: destination)
        }
        #expect(destination.begun == 0)
    }

    @Test func dockerArchiveIsReadBySkopeo() throws {
        let source = try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path("layout-single")))
        let image = try ImageResolver.resolve(source, platform: nil)
        let scratch = try TemporaryDirectory()
        let path = scratch.appending("image.tar").path
        try copy(source, to: DockerArchiveDestination(path: path, repoTags: ["example/app:v1"]))

        let inspect = try ExternalCommand.run("skopeo", ["inspect", "--raw", "--config", "docker-archive:\(path)"])
        #expect(inspect.status == 0)
        let config = try JSONDecoder().decode(ImageConfig.self, from: inspect.stdout)
        #expect(config.rootfs.diffIDs == image.config.rootfs.diffIDs)
        #expect(config.config?.labels == ["a": "1", "b": "2"])

        // skopeo can copy it (reads and decompresses every layer) into a layout.
        let copied = scratch.appending("copied-oci")
        #expect(try ExternalCommand.run("skopeo", ["--insecure-policy", "copy", "-q", "docker-archive:\(path)", "oci:\(copied.path):x"]).status == 0)

        // And our reader maps the compressed members back to their digests.
        let back = try DockerArchiveSource(path: scratch.appending("image.tar").path)
        #expect(back.repoTags == ["example/app:v1"])
        #expect(back.manifest.layers.map(\.digest) == image.manifest.layers.map(\.digest))
        #expect(back.configData == image.configData)
    }

    @Test func dockerArchiveFailsWholeOnCorruptLayer() throws {
        let source = try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path("layout-corrupt")))
        let image = try ImageResolver.resolve(source, platform: nil)
        let directory = try TemporaryDirectory()
        let path = directory.appending("image.tar").path
        do {
            try copy(source, to: DockerArchiveDestination(path: path, repoTags: ["a:b"]))
            Issue.record("a corrupt layer was accepted")
        } catch let failure as LayerFailure {
            #expect(failure.underlying is BlobVerificationError)
        }
        _ = image
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}

/// Counts `begin` calls (refusing each, so a begun attempt shows as its error).
private final class AttemptCounter: ImageDestination {
    let scope: DestinationScope
    private(set) var begun = 0

    init(scope: DestinationScope) { self.scope = scope }

    func begin() throws -> DestinationAttempt {
        begun += 1
        throw ImageError.io("an attempt was begun")
    }
}
