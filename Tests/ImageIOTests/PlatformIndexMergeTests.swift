@testable import ImageIO
import OCIModel
import Testing

@Suite struct PlatformIndexMergeTests {
    static func image(_ byte: Character, _ mediaType: String = MediaType.ociManifest) throws -> Descriptor {
        Descriptor(mediaType: mediaType, digest: try Digest(parsing: "sha256:" + String(repeating: byte, count: 64)), size: 10)
    }

    @Test func replacesOnlyTheSamePlatformAndKeepsAnnotations() throws {
        let amd = Platform(os: "linux", architecture: "amd64")
        let v7 = Platform(os: "linux", architecture: "arm", variant: "v7")
        let v6 = Platform(os: "linux", architecture: "arm", variant: "v6")
        var old = try Self.image("a")
        old.platform = amd
        var arm = try Self.image("b")
        arm.platform = v7
        let current = ImageIndex(manifests: [old, arm], annotations: ["keep": "yes"])
        let merged = PlatformIndexMerge.merge(try Self.image("c"), platform: Platform(os: "linux", architecture: "x86_64"),
                                              into: .index(current))
        #expect(merged.manifests.map(\.digest) == [arm.digest, try Self.image("c").digest], "x86_64 is amd64")
        #expect(merged.annotations == ["keep": "yes"])
        // arm without a variant is arm/v7; arm/v6 is another entry.
        let bare = PlatformIndexMerge.merge(try Self.image("d"), platform: Platform(os: "linux", architecture: "arm"), into: .index(current))
        #expect(bare.manifests.map(\.digest) == [old.digest, try Self.image("d").digest])
        let six = PlatformIndexMerge.merge(try Self.image("e"), platform: v6, into: .index(current))
        #expect(six.manifests.count == 3)
    }

    @Test func aSingleImageOrNothingBecomesAnIndex() throws {
        let amd = Platform(os: "linux", architecture: "amd64")
        let arm = Platform(os: "linux", architecture: "arm64")
        let fromNothing = PlatformIndexMerge.merge(try Self.image("a"), platform: amd, into: .missing)
        #expect(fromNothing.manifests.map(\.platform) == [amd])
        #expect(fromNothing.mediaType == MediaType.ociIndex)
        let docker = PlatformIndexMerge.merge(
            try Self.image("a", MediaType.dockerManifest), platform: amd,
            into: .image(try Self.image("b", MediaType.dockerManifest), platform: arm))
        #expect(docker.manifests.map(\.platform) == [arm, amd])
        #expect(docker.mediaType == MediaType.dockerManifestList, "Docker manifests stay in a Docker list")
        let same = PlatformIndexMerge.merge(try Self.image("a"), platform: amd, into: .image(try Self.image("b"), platform: amd))
        #expect(same.manifests.map(\.digest) == [try Self.image("a").digest])
    }
}
