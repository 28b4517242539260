import Foundation
@testable import OCIModel
import TestSupport
import Testing

@Suite struct ManifestKindTests {
    @Test func decodesDockerManifestListWithoutHeader() throws {
        let json = #"""
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
         "manifests":[{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":528,
           "digest":"sha256:\#(String(repeating: "1", count: 64))",
           "platform":{"architecture":"arm64","os":"linux","variant":"v8","os.version":"x","os.features":["f"]}}]}
        """#
        guard case .index(let index) = try ManifestKind.decode(Data(json.utf8), mediaType: nil) else {
            Issue.record("not an index")
            return
        }
        #expect(index.manifests.count == 1)
        #expect(index.manifests[0].platform == Platform(os: "linux", architecture: "arm64", variant: "v8", osVersion: "x", osFeatures: ["f"]))
        #expect(index.manifests[0].size == 528)
    }

    @Test func tellsKindFromBodyWhenNoMediaTypeAnywhere() throws {
        let digest = "sha256:" + String(repeating: "a", count: 64)
        let manifest = #"{"schemaVersion":2,"config":{"mediaType":"x","digest":"\#(digest)","size":1},"layers":[]}"#
        let index = #"{"schemaVersion":2,"manifests":[]}"#
        guard case .manifest(let decoded) = try ManifestKind.decode(Data(manifest.utf8), mediaType: nil) else {
            Issue.record("not a manifest")
            return
        }
        #expect(decoded.config.digest.description == digest)
        guard case .index = try ManifestKind.decode(Data(index.utf8), mediaType: nil) else {
            Issue.record("not an index")
            return
        }
        // The header wins over the body's shape.
        #expect(throws: OCIModelError.self) { try ManifestKind.decode(Data(index.utf8), mediaType: MediaType.ociManifest) }
    }

    @Test func refusesSchema1AndUnknown() {
        #expect(throws: OCIModelError.schema1) {
            try ManifestKind.decode(Data(#"{"schemaVersion":1,"fsLayers":[]}"#.utf8), mediaType: nil)
        }
        #expect(throws: OCIModelError.unknownManifestType("none")) {
            try ManifestKind.decode(Data(#"{"schemaVersion":2}"#.utf8), mediaType: nil)
        }
        #expect(throws: OCIModelError.self) { try ManifestKind.decode(Data("not json".utf8), mediaType: nil) }
    }

    @Test func rejectsBadDigestInDescriptor() {
        let json = #"{"mediaType":"x","digest":"sha256:zz","size":1}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Descriptor.self, from: Data(json.utf8)) }
    }

    @Test func decodesRealConfigWithNanosecondsAndOffsets() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ImageFixtures.path("layout-single"))
            .appendingPathComponent("blobs/sha256/" + ImageFixtures.expected("single", "config").dropFirst(7)))
        let config = try JSONDecoder().decode(ImageConfig.self, from: data)
        #expect(config.architecture == "amd64")
        #expect(config.config?.env == ["PATH=/usr/bin", "ARCH=amd64"])
        #expect(config.config?.entrypoint == ["/entry"])
        #expect(config.config?.user == "1000:1000")
        #expect(config.config?.workingDir == "/work")
        #expect(config.config?.labels == ["a": "1", "b": "2"])
        #expect(config.rootfs.diffIDs.map(\.description) == (try ImageFixtures.expectedList("single", "diff_ids")))
        // 2024-05-01T12:34:56.123456789Z
        let created = try #require(config.created)
        #expect(abs(created.timeIntervalSince1970 - 1_714_566_896.123456789) < 1e-6)
        #expect(config.history?.first?.createdBy == "python fixture")

        #expect(RFC3339Date.parse("2024-05-01T14:34:56+02:00")?.timeIntervalSince1970 == 1_714_566_896)
        #expect(RFC3339Date.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970 == 0)
        #expect(RFC3339Date.parse("2024-05-01 12:00") == nil)
        #expect(RFC3339Date.parse("2024-13-01T00:00:00Z") == nil)
        #expect(RFC3339Date.format(Date(timeIntervalSince1970: 1_714_566_896.5)) == "2024-05-01T12:34:56.5Z")
    }

    @Test func configRoundTripsThroughEncoding() throws {
        let config = ImageConfig(
            created: Date(timeIntervalSince1970: 86400 * 365), architecture: "arm64", os: "linux", variant: "v8",
            config: .init(env: ["A=1"], cmd: ["x"]), rootfs: .init(diffIDs: [Digest(sha256Hex: String(repeating: "c", count: 64))]))
        let data = try JSONEncoder().encode(config)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""created":"1971-01-01T00:00:00Z""#))
        #expect(text.contains(#""diff_ids""#))
        #expect(try JSONDecoder().decode(ImageConfig.self, from: data) == config)
    }
}
