import Foundation
@testable import ImageIO
@testable import OCIModel
import TestSupport
import Testing

@Suite struct ImageSourceTests {
    func layout(_ name: String, _ reference: String? = nil) throws -> OCILayoutSource {
        try OCILayoutSource(directory: URL(fileURLWithPath: ImageFixtures.path(name)), reference: reference)
    }

    @Test func resolvesSingleImageLayoutKeepingOriginalBytes() throws {
        let source = try layout("layout-single", "v1")
        let image = try ImageResolver.resolve(source, platform: nil)
        #expect(image.manifestDescriptor.digest.description == (try ImageFixtures.expected("single", "manifest")))
        #expect(image.manifest.layers.map(\.digest.description) == (try ImageFixtures.expectedList("single", "layers")))
        #expect(image.index == nil)
        // Original (pretty-printed) bytes, not a re-encoding.
        #expect(SHA256Hasher.digest(of: image.manifestData) == image.manifestDescriptor.digest)
        #expect(SHA256Hasher.digest(of: image.configData) == image.manifest.config.digest)
        #expect(image.config.config?.cmd == ["/bin/sh"])
    }

    @Test func picksPlatformsFromNestedIndex() throws {
        let source = try layout("layout-multi")
        func pick(_ text: String) throws -> String {
            try ImageResolver.resolve(source, platform: Platform(parsing: text)).manifestDescriptor.digest.description
        }
        #expect(try pick("linux/arm64") == ImageFixtures.expected("multi", "arm64/v8"))
        #expect(try pick("linux/arm64/v8") == ImageFixtures.expected("multi", "arm64/v8"))
        #expect(try pick("linux/arm") == ImageFixtures.expected("multi", "arm/v7"))
        #expect(try pick("linux/arm/v6") == ImageFixtures.expected("multi", "arm/v6"))
        #expect(try pick("amd64") == ImageFixtures.expected("multi", "amd64"))
        let image = try ImageResolver.resolve(source, platform: Platform(parsing: "linux/s390x"))
        #expect(image.config.architecture == "s390x")
        // index.json's only entry is the nested index, which becomes the root.
        #expect(image.root.digest.description == (try ImageFixtures.expected("multi", "index")))
        #expect(image.index?.manifests.count == 6)
    }

    @Test func missingPlatformListsAvailable() throws {
        let source = try layout("layout-multi")
        do {
            _ = try ImageResolver.resolve(source, platform: Platform(parsing: "linux/riscv64"))
            Issue.record("resolved a platform that is not there")
        } catch let error as ImageError {
            guard case .noMatchingPlatform(_, let available) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(available.contains("linux/arm/v6"))
            #expect(available.contains("linux/amd64"))
            #expect(error.description.contains("linux/riscv64"))
        }
        #expect(throws: ImageError.self) {
            try ImageResolver.resolve(source, platform: Platform(parsing: "linux/arm/v5"))
        }
    }

    @Test func selectsByTagDigestOrConfigPlatform() throws {
        let a = try ImageFixtures.expected("tags", "a")
        let b = try ImageFixtures.expected("tags", "b")
        #expect(try ImageResolver.resolve(layout("layout-tags", "b"), platform: nil).manifestDescriptor.digest.description == b)
        #expect(try ImageResolver.resolve(layout("layout-tags", a), platform: nil).manifestDescriptor.digest.description == a)
        // No reference: index.json is the root and the configs' platforms decide.
        let arm = try ImageResolver.resolve(layout("layout-tags"), platform: Platform(parsing: "linux/arm64"))
        #expect(arm.manifestDescriptor.digest.description == b)
        let byDigest = try ImageResolver.resolve(layout("layout-tags"), platform: nil, digest: Digest(parsing: a))
        #expect(byDigest.manifestDescriptor.digest.description == a)
        #expect(throws: ImageError.self) { try layout("layout-tags", "c") }
        // Digest search descends nested indexes.
        let multi = try ImageResolver.resolve(
            layout("layout-multi"), platform: nil, digest: Digest(parsing: ImageFixtures.expected("multi", "arm/v6")))
        #expect(multi.config.variant == "v6")
    }

    @Test func verificationCatchesCorruptLayer() throws {
        let source = try layout("layout-corrupt")
        let image = try ImageResolver.resolve(source, platform: nil)
        let first = DataCollector()
        try source.streamVerifiedBlob(image.manifest.layers[0], into: first)
        #expect(Int64(first.data.count) == image.manifest.layers[0].size)
        let second = DataCollector()
        #expect(throws: BlobVerificationError.self) { try source.streamVerifiedBlob(image.manifest.layers[1], into: second) }
        // A manifest whose descriptor lies about its digest is refused.
        var lying = image.manifestDescriptor
        lying.digest = image.manifest.layers[0].digest
        #expect(throws: BlobVerificationError.self) { try source.manifestData(for: lying) }
        var short = image.manifestDescriptor
        short.size -= 1
        #expect(throws: BlobVerificationError.self) { try source.manifestData(for: short) }
    }

    @Test func readsPythonDockerSaveWithSymlinkedLayers() throws {
        let source = try DockerArchiveSource(path: ImageFixtures.path("docker-save.tar"))
        let image = try ImageResolver.resolve(source, platform: nil)
        #expect(source.repoTags == ["example/app:v1"])
        #expect(image.manifest.config.digest.description == (try ImageFixtures.expected("docker_save", "config")))
        let diffIDs = try ImageFixtures.expectedList("docker_save", "diff_ids")
        #expect(image.manifest.layers.map(\.digest.description) == [diffIDs[0], diffIDs[1], diffIDs[0]])
        #expect(image.manifest.layers.allSatisfy { $0.mediaType == MediaType.ociLayerTar })
        for layer in image.manifest.layers {
            let collector = DataCollector()
            try source.streamVerifiedBlob(layer, into: collector)  // through the symlink too
            #expect(Int64(collector.data.count) == layer.size)
        }
        #expect(try DockerArchiveSource(path: ImageFixtures.path("docker-save.tar"), reference: "v1").repoTags == ["example/app:v1"])
        #expect(throws: ImageError.self) { try DockerArchiveSource(path: ImageFixtures.path("docker-save.tar"), reference: "v2") }
    }

    @Test func readsSkopeoArchives() throws {
        let single = try ImageResolver.resolve(layout("layout-single"), platform: nil)
        let docker = try ImageSourceLocator.open(path: ImageFixtures.path("skopeo-docker.tar"))
        #expect(docker is DockerArchiveSource)
        let fromDocker = try ImageResolver.resolve(docker, platform: nil)
        #expect(fromDocker.configData == single.configData)
        #expect(fromDocker.manifest.layers.map(\.digest) == single.config.rootfs.diffIDs)

        let oci = try ImageSourceLocator.open(path: ImageFixtures.path("skopeo-oci.tar"))
        #expect(oci is OCIArchiveSource)
        let fromOCI = try ImageResolver.resolve(oci, platform: nil)
        #expect(fromOCI.config.rootfs.diffIDs == single.config.rootfs.diffIDs)
        for layer in fromOCI.manifest.layers + fromDocker.manifest.layers {
            let source: ImageSource = fromOCI.manifest.layers.contains(layer) ? oci : docker
            let collector = DataCollector()
            try source.streamVerifiedBlob(layer, into: collector)
            #expect(Int64(collector.data.count) == layer.size)
        }
    }

    @Test func locatorTellsKindsApart() throws {
        #expect(try ImageSourceLocator.locate(path: ImageFixtures.path("layout-single")).kind == .ociLayout)
        #expect(try ImageSourceLocator.locate(path: ImageFixtures.path("docker-save.tar")).kind == .dockerArchive)
        #expect(try ImageSourceLocator.locate(path: ImageFixtures.path("skopeo-oci.tar")).kind == .ociArchive)
        #expect(throws: ImageError.unrecognisedImagePath(try ImageFixtures.path("not-an-image.tar"))) {
            try ImageSourceLocator.open(path: ImageFixtures.path("not-an-image.tar"))
        }
        #expect(throws: ImageError.self) { try ImageSourceLocator.open(path: ImageFixtures.path("expected.json")) }
        #expect(throws: ImageError.self) { try ImageSourceLocator.open(path: ImageFixtures.path("nope")) }
    }
}
