import Foundation
import TestSupport
import Testing

/// The test infrastructure itself: every registry variant starts and answers,
/// and fixtures pushed through it come back with the digests they were built with.
@Suite("Test infrastructure: registries and fixtures")
struct TestInfraTests {
    private func curlStatus(_ registry: TestRegistry, _ path: String, extra: [String] = []) throws -> String {
        let out = try ExternalCommand.check(
            "curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}"] + registry.curlTLSFlags + extra
                + [registry.baseURL.absoluteString + path])
        return String(decoding: out, as: UTF8.self)
    }

    private static let twoLayers = ImageSpec(
        tag: "v1",
        config: ImageConfigSpec(env: ["GREETING=hello"], cmd: ["/bin/hello"], labels: ["fixture": "two-layers"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/hello", "hello\n"), .symlink("etc/link", to: "hello")]),
            LayerSpec([.randomFile("bin/blob", size: 70_000), .hardlink("bin/again", to: "bin/blob")], compression: .zstd),
        ])

    @Test func plainRegistryAnswersAndStops() throws {
        let registry = try TestRegistry(.plain)
        #expect(registry.url == "127.0.0.1:\(registry.port)")
        #expect(registry.baseURL.scheme == "http")
        #expect(try curlStatus(registry, "/v2/") == "200")
        let storage = registry.storageDirectory
        #expect(FileManager.default.fileExists(atPath: storage.path))
        registry.stop()
        #expect(!FileManager.default.fileExists(atPath: storage.path))
        let after = try ExternalCommand.run("curl", ["-sS", "-o", "/dev/null", registry.baseURL.absoluteString + "/v2/"])
        #expect(after.status != 0)
    }

    @Test func parallelRegistriesGetDistinctPorts() throws {
        let registries = try (0..<3).map { _ in try TestRegistry() }
        #expect(Set(registries.map(\.port)).count == 3)
        for registry in registries { #expect(try curlStatus(registry, "/v2/") == "200") }
    }

    @Test func tlsRegistryServesCertificateFromItsCA() throws {
        let registry = try TestRegistry(.tls)
        #expect(registry.baseURL.scheme == "https")
        #expect(registry.caCertificatePEM?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        #expect(try curlStatus(registry, "/v2/") == "200")
        // Also valid for the name "localhost" (SAN DNS:localhost).
        let byName = try ExternalCommand.check(
            "curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}"] + registry.curlTLSFlags
                + ["https://localhost:\(registry.port)/v2/"])
        #expect(String(decoding: byName, as: UTF8.self) == "200")
        // Without the CA, verification fails.
        let untrusted = try ExternalCommand.run("curl", ["-sS", "-o", "/dev/null", registry.baseURL.absoluteString + "/v2/"])
        #expect(untrusted.status == 60)
    }

    @Test func basicAuthRegistryChecksPassword() throws {
        let registry = try TestRegistry(.basicAuth)
        let user = try #require(registry.credentials)
        #expect(try curlStatus(registry, "/v2/") == "401")
        #expect(try curlStatus(registry, "/v2/", extra: ["-u", user]) == "200")
        #expect(try curlStatus(registry, "/v2/", extra: ["-u", "testuser:wrong"]) == "401")
    }

    @Test func tokenRegistryWorksEndToEndWithSkopeo() throws {
        let registry = try TestRegistry(.token)
        #expect(try curlStatus(registry, "/v2/") == "401")
        let pushed = try push(Self.twoLayers, to: registry, repository: "infra/token")
        #expect(pushed.manifestDigest == pushed.image.manifestDigest)
        let stats = try registry.tokenServerStats()
        #expect(stats.granted >= 1)
        #expect(stats.lastScopes.contains { $0.hasPrefix("repository:infra/token:") })
        let inspected = try JSONSerialization.jsonObject(
            with: try skopeoInspect(registry, repository: "infra/token", reference: "v1")) as? [String: Any]
        #expect(inspected?["Digest"] as? String == pushed.manifestDigest)
        // Wrong password: the token server refuses, so skopeo fails.
        let denied = try ExternalCommand.run(
            "skopeo", ["inspect", "--cert-dir", try #require(registry.certDirectory).path, "--creds", "testuser:nope",
                       "docker://\(registry.url)/infra/token:v1"])
        #expect(denied.status != 0)
        #expect(try registry.tokenServerStats().denied >= 1)
    }

    @Test func anonymousPullTokenGrantsPullOnly() throws {
        let registry = try TestRegistry(TestRegistryOptions(auth: .token(anonymousPull: true)))
        try push(Self.twoLayers, to: registry, repository: "infra/anon")
        let pulled = try ExternalCommand.run(
            "skopeo", ["inspect", "--tls-verify=false", "docker://\(registry.url)/infra/anon:v1"])
        #expect(pulled.status == 0)
        let layout = try TemporaryDirectory(prefix: "anon-push")
        try buildImage(Self.twoLayers, into: layout.url)
        let anonymousPush = try ExternalCommand.run(
            "skopeo", ["copy", "--dest-tls-verify=false", "oci:\(layout.path):v1", "docker://\(registry.url)/infra/anon:v2"])
        #expect(anonymousPush.status != 0)
    }

    @Test func pushedTwoLayerImageMatchesItsSpec() throws {
        let registry = try TestRegistry()
        let pushed = try push(Self.twoLayers, to: registry, repository: "infra/two")
        let layers = try #require(pushed.image.layers)
        #expect(layers.count == 2)
        #expect(layers[0].mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")
        #expect(layers[1].mediaType == "application/vnd.oci.image.layer.v1.tar+zstd")
        let info = try #require(
            JSONSerialization.jsonObject(with: try skopeoInspect(registry, repository: "infra/two", reference: "v1"))
                as? [String: Any])
        #expect(info["Digest"] as? String == pushed.manifestDigest)
        #expect(info["Layers"] as? [String] == layers.map(\.digest))
        #expect((info["Env"] as? [String])?.contains("GREETING=hello") == true)
        #expect((info["Labels"] as? [String: String])?["fixture"] == "two-layers")
        // The config blob in the registry is the one that was built.
        let config = try ExternalCommand.check(
            "skopeo", ["inspect", "--config", "--raw"] + registry.skopeoInspectFlags() + ["docker://\(registry.url)/infra/two:v1"])
        #expect(try ExternalDigest.sha256(config) == pushed.image.config)
        #expect(FileManager.default.fileExists(atPath: registry.blobDataPath(digest: layers[0].digest).path))
    }

    @Test func dockerTypedImagesAndIndexesKeepTheirMediaTypes() throws {
        let registry = try TestRegistry(.basicAuth)
        var spec = Self.twoLayers
        spec.mediaTypes = .docker
        spec.layers[1].compression = .gzip
        let pushed = try push(spec, to: registry, repository: "infra/docker")
        let manifest = try #require(
            JSONSerialization.jsonObject(
                with: try skopeoInspect(registry, repository: "infra/docker", reference: pushed.manifestDigest, raw: true))
                as? [String: Any])
        #expect(manifest["mediaType"] as? String == "application/vnd.docker.distribution.manifest.v2+json")

        let index = IndexSpec(
            tag: "multi", mediaTypes: .docker,
            images: [
                ImageSpec(architecture: "amd64", layers: [LayerSpec([.file("arch", "amd64")])]),
                ImageSpec(architecture: "arm64", variant: "v8", layers: [LayerSpec([.file("arch", "arm64")])]),
            ])
        let pushedIndex = try push(index, to: registry, repository: "infra/multi")
        #expect(pushedIndex.manifestDigest == pushedIndex.image.manifestDigest)
        let list = try #require(
            JSONSerialization.jsonObject(
                with: try skopeoInspect(registry, repository: "infra/multi", reference: "multi", raw: true))
                as? [String: Any])
        #expect(list["mediaType"] as? String == "application/vnd.docker.distribution.manifest.list.v2+json")
        #expect((list["manifests"] as? [Any])?.count == 2)
    }

    @Test func ociIndexPushesWithSkopeoAndUmociUnpacksFixtures() throws {
        let registry = try TestRegistry(.tls)
        let index = IndexSpec(
            tag: "multi",
            images: [
                ImageSpec(architecture: "amd64", layers: [LayerSpec([.file("arch", "amd64")])]),
                ImageSpec(architecture: "arm", variant: "v7", layers: [LayerSpec([.file("arch", "arm")])]),
            ])
        let pushed = try push(index, to: registry, repository: "infra/oci-multi")
        #expect(pushed.manifestDigest == pushed.image.manifestDigest)
        #expect(pushed.image.manifests?.map(\.platform.architecture) == ["amd64", "arm"])

        let layout = try buildFixture(Self.twoLayers.withGzipOnly())
        let out = try TemporaryDirectory(prefix: "umoci")
        let bundle = out.appending("bundle")
        try umociUnpack(layout: layout.url, tag: "v1", to: bundle)
        let hello = try String(contentsOf: bundle.appendingPathComponent("rootfs/etc/hello"), encoding: .utf8)
        #expect(hello == "hello\n")
        let blob = try Data(contentsOf: bundle.appendingPathComponent("rootfs/bin/blob"))
        #expect(blob.count == 70_000)
    }

    @Test func corruptBlobChangesStoredBytes() throws {
        let registry = try TestRegistry()
        let pushed = try push(Self.twoLayers, to: registry, repository: "infra/corrupt")
        let digest = try #require(pushed.image.layers?.first?.digest)
        let before = try Data(contentsOf: registry.blobDataPath(digest: digest))
        try registry.corruptBlob(digest: digest, atOffset: 10)
        let served = try ExternalCommand.check("curl", ["-sS", "--fail", "\(registry.baseURL.absoluteString)/v2/infra/corrupt/blobs/\(digest)"])
        #expect(served.count == before.count)
        #expect(served != before)
    }
}

extension ImageSpec {
    /// umoci 0.4.7 cannot read zstd layers.
    fileprivate func withGzipOnly() -> ImageSpec {
        var copy = self
        for index in copy.layers.indices { copy.layers[index].compression = .gzip }
        return copy
    }
}
