import Foundation
import ImageIO
import OCIModel
import RegistryClient
import TestSupport
import Testing

/// The registry client against a real CNCF distribution registry; fixtures
/// are built by Python and pushed by skopeo / push_raw.py, never by the client.
@Suite("RegistryClient against docker-registry")
struct RegistryClientTests {
    static let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50),
                                       maxTotal: .seconds(20))

    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"], labels: ["fixture": "registry-client"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/hello", "hello\n")]),
            LayerSpec([.randomFile("bin/blob", size: 300_000, seed: "rc")], compression: .zstd),
        ])

    final class CollectingConsumer: BlobConsumer {
        var data = Data()
        var finished = 0
        func consume(_ chunk: UnsafeRawBufferPointer) throws { data.append(contentsOf: chunk) }
        func finish() throws { finished += 1 }
    }

    static func client(_ registry: TestRegistry, _ repository: String, credentials: RegistryCredentials? = nil,
                       ca: Bool = true, insecure: Bool = false) -> RegistryClient {
        RegistryClient(
            registry: registry.url, repository: repository,
            options: RegistryOptions(credentials: credentials, insecure: insecure,
                                     caCertificatesPEM: ca ? [registry.caCertificatePEM].compactMap { $0 } : [],
                                     connectTimeout: .seconds(5), stallTimeout: .seconds(10), retry: fastRetry))
    }

    static func sha256(_ data: Data) throws -> String { try ExternalDigest.sha256(data) }

    /// Tags an existing manifest again with curl (a PUT of the same bytes).
    static func retag(_ registry: TestRegistry, _ repository: String, manifest: Data, mediaType: String,
                      tags: [String], user: String? = nil) throws {
        let scratch = try TemporaryDirectory(prefix: "manifest")
        try manifest.write(to: scratch.appending("manifest"))
        for tag in tags {
            try ExternalCommand.check(
                "curl", ["-sS", "--fail", "-X", "PUT", "-H", "Content-Type: \(mediaType)",
                         "--data-binary", "@\(scratch.appending("manifest").path)"]
                    + registry.curlTLSFlags + (user.map { ["-u", $0] } ?? [])
                    + ["\(registry.baseURL.absoluteString)/v2/\(repository)/manifests/\(tag)"])
        }
    }

    @Test func anonymousPullFromPlainRegistryFallsBackToHTTP() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "rc/plain")
        let client = Self.client(registry, "rc/plain")

        let head = try #require(try client.headManifest("v1"))
        #expect(head.digest.description == pushed.manifestDigest)
        #expect(head.mediaType == "application/vnd.oci.image.manifest.v1+json")
        #expect(head.size == Int64(pushed.image.size))

        let manifest = try client.fetchManifest("v1")
        #expect(manifest.digest.description == pushed.manifestDigest)
        #expect(try Self.sha256(manifest.data) == pushed.manifestDigest)
        let byDigest = try client.fetchManifest(pushed.manifestDigest)
        #expect(byDigest.data == manifest.data)
        #expect(try client.headManifest(pushed.manifestDigest)?.digest == head.digest)

        let configDigest = try Digest(parsing: try #require(pushed.image.config))
        let imageSource = RegistryImageSource(client: client, rootDigest: try Digest(parsing: pushed.manifestDigest))
        let resolved = try ImageResolver.resolve(imageSource, platform: nil)
        #expect(resolved.manifest.config.digest == configDigest)
        #expect(try Self.sha256(resolved.configData) == configDigest.description)
        #expect(throws: ImageError.self) { try imageSource.blobData(for: resolved.manifest.config, limit: 10) }

        for layer in try #require(pushed.image.layers) {
            let consumer = CollectingConsumer()
            let digest = try Digest(parsing: layer.digest)
            try client.fetchBlob(digest, into: DigestVerifier(expected: digest, size: Int64(layer.size), next: consumer))
            #expect(consumer.finished == 1)
            #expect(consumer.data.count == layer.size)
            #expect(try Self.sha256(consumer.data) == layer.digest)
        }

        #expect(try client.headManifest("missing") == nil)
        #expect(try client.headManifest("sha256:" + String(repeating: "0", count: 64)) == nil)
        do {
            _ = try client.fetchManifest("missing")
            Issue.record("fetched a missing manifest")
        } catch let error as RegistryError {
            guard case .notFound = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("MANIFEST_UNKNOWN"))
        }
        #expect(try RegistryClient(registry: registry.url, repository: "rc/absent",
                                   options: RegistryOptions(retry: Self.fastRetry)).headManifest("v1") == nil)
    }

    @Test func dockerMediaTypesAndIndexDigests() throws {
        let registry = try TestRegistry(.plain)
        var docker = Self.image
        docker.mediaTypes = .docker
        let single = try push(docker, to: registry, repository: "rc/docker")
        var arm = Self.image
        arm.architecture = "arm64"
        let index = try push(IndexSpec(tag: "multi", mediaTypes: .docker, images: [Self.image, arm].map {
            var image = $0
            image.mediaTypes = .docker
            return image
        }), to: registry, repository: "rc/docker")
        let ociIndex = try push(IndexSpec(tag: "oci-multi", images: [Self.image, arm]), to: registry,
                                     repository: "rc/docker")
        let client = Self.client(registry, "rc/docker")

        let head = try #require(try client.headManifest("v1"))
        #expect(head.mediaType == "application/vnd.docker.distribution.manifest.v2+json")
        #expect(head.digest.description == single.manifestDigest)
        let list = try client.fetchManifest("multi")
        #expect(list.mediaType == "application/vnd.docker.distribution.manifest.list.v2+json")
        #expect(list.digest.description == index.manifestDigest)
        let oci = try #require(try client.headManifest("oci-multi"))
        #expect(oci.mediaType == "application/vnd.oci.image.index.v1+json")
        #expect(oci.digest.description == ociIndex.manifestDigest)
        // A child manifest of the index, by digest.
        let child = try #require(ociIndex.image.manifests?.first)
        #expect(try client.fetchManifest(child.digest).digest.description == child.digest)
    }

    @Test func tlsNeedsTheCAAndNeverFallsBack() throws {
        let registry = try TestRegistry(.tls)
        let pushed = try push(Self.image, to: registry, repository: "rc/tls")
        #expect(try Self.client(registry, "rc/tls").headManifest("v1")?.digest.description == pushed.manifestDigest)
        do {
            _ = try Self.client(registry, "rc/tls", ca: false).headManifest("v1")
            Issue.record("trusted an unknown CA")
        } catch let error as RegistryError {
            guard case .tls = error else { Issue.record("expected a TLS error, got \(error)"); return }
            #expect(error.description.contains("certificate"))
        }
        #expect(try Self.client(registry, "rc/tls", ca: false, insecure: true).headManifest("v1")?.digest.description
                == pushed.manifestDigest)
        let broken = RegistryClient(registry: registry.url, repository: "rc/tls",
                                    options: RegistryOptions(caCertificatesPEM: ["not a certificate"]))
        #expect(throws: RegistryError.invalidCACertificate(index: 0)) { try broken.headManifest("v1") }
    }

    @Test func basicAuthRightAndWrongPassword() throws {
        let registry = try TestRegistry(.basicAuth)
        let pushed = try push(Self.image, to: registry, repository: "rc/basic")
        let user = try #require(registry.username)
        let password = try #require(registry.password)
        let good = Self.client(registry, "rc/basic", credentials: RegistryCredentials(username: user, password: password))
        #expect(try good.headManifest("v1")?.digest.description == pushed.manifestDigest)
        #expect(try good.listTags() == ["v1"])

        for credentials in [RegistryCredentials(username: user, password: "wrong"), nil] {
            do {
                _ = try Self.client(registry, "rc/basic", credentials: credentials).fetchManifest("v1")
                Issue.record("pulled with \(String(describing: credentials))")
            } catch let error as RegistryError {
                guard case .unauthorized = error else { Issue.record("expected unauthorized, got \(error)"); return }
                #expect(!error.description.contains("wrong"))
            }
        }
    }

    @Test func tokenAuthWithCredentialsCachesTheToken() throws {
        let registry = try TestRegistry(.token)
        let pushed = try push(Self.image, to: registry, repository: "rc/token")
        let before = try registry.tokenRequestCount()
        let client = Self.client(registry, "rc/token",
                                 credentials: RegistryCredentials(username: try #require(registry.username),
                                                                  password: try #require(registry.password)))
        #expect(try client.headManifest("v1")?.digest.description == pushed.manifestDigest)
        _ = try client.fetchManifest("v1")
        #expect(try client.listTags() == ["v1"])
        let layers = try #require(pushed.image.layers)
        for layer in layers {
            try client.fetchBlob(try Digest(parsing: layer.digest), into: CollectingConsumer())
        }
        #expect(try registry.tokenRequestCount() - before == 1)
        let stats = try registry.tokenServerStats()
        #expect(stats.lastScopes == ["repository:rc/token:pull"])
        #expect(stats.lastAuthorization)

        do {
            _ = try Self.client(registry, "rc/token", credentials: RegistryCredentials(username: "testuser", password: "nope"))
                .headManifest("v1")
            Issue.record("wrong password accepted")
        } catch let error as RegistryError {
            guard case .unauthorized = error else { Issue.record("expected unauthorized, got \(error)"); return }
        }
        do {
            _ = try Self.client(registry, "rc/token").headManifest("v1")
            Issue.record("anonymous pull accepted")
        } catch let error as RegistryError {
            guard case .unauthorized = error else { Issue.record("expected unauthorized, got \(error)"); return }
        }
    }

    @Test func tokenAuthAnonymousPull() throws {
        let registry = try TestRegistry(TestRegistryOptions(tls: true, auth: .token(anonymousPull: true)))
        let pushed = try push(Self.image, to: registry, repository: "rc/anon")
        let client = Self.client(registry, "rc/anon")
        #expect(try client.headManifest("v1")?.digest.description == pushed.manifestDigest)
        #expect(try client.fetchManifest(pushed.manifestDigest).digest.description == pushed.manifestDigest)
        #expect(try registry.tokenServerStats().lastAuthorization == false)
    }

    @Test func tagsFollowPaginationAndHeadsKeepOrder() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "rc/tags")
        let client = Self.client(registry, "rc/tags")
        let manifest = try client.fetchManifest("v1")
        let extra = (0..<23).map { String(format: "t%02d", $0) }
        try Self.retag(registry, "rc/tags", manifest: manifest.data, mediaType: manifest.mediaType, tags: extra)
        // The registry's own order (distribution 2.8 does not sort), read by curl.
        struct TagList: Decodable { var tags: [String] }
        let registryOrder = try JSONDecoder().decode(TagList.self, from: try ExternalCommand.check(
            "curl", ["-sS", "--fail", "\(registry.baseURL.absoluteString)/v2/rc/tags/tags/list"])).tags
        #expect(Set(registryOrder) == Set(extra + ["v1"]))
        #expect(try client.listTags() == registryOrder)
        let paged = try client.listTags(pageSize: 5)
        #expect(paged.count == registryOrder.count)
        #expect(Set(paged) == Set(registryOrder))
        #expect(try client.listTags(pageSize: 1).count == registryOrder.count)

        let queries = ["nope-1"] + extra + ["nope-2", pushed.manifestDigest]
        let heads = try client.headManifests(queries, concurrency: 6)
        #expect(heads.count == queries.count)
        #expect(heads.first == .some(nil))
        #expect(heads[queries.count - 2] == .some(nil))
        for index in 1...extra.count {
            #expect(heads[index]?.digest.description == pushed.manifestDigest)
        }
        #expect(heads.last??.digest.description == pushed.manifestDigest)
        #expect(try client.headManifests([]).isEmpty)
    }

    @Test func corruptedBlobIsRefused() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "rc/corrupt")
        let layer = try #require(pushed.image.layers?.last)
        let config = try #require(pushed.image.config)
        try registry.corruptBlob(digest: layer.digest, atOffset: 1000)
        try registry.corruptBlob(digest: config, atOffset: 5)
        let client = Self.client(registry, "rc/corrupt")
        let consumer = CollectingConsumer()
        let layerDigest = try Digest(parsing: layer.digest)
        do {
            try client.fetchBlob(layerDigest, into: DigestVerifier(expected: layerDigest, size: Int64(layer.size), next: consumer))
            Issue.record("corrupt blob accepted")
        } catch let error as BlobVerificationError {
            guard case .digestMismatch = error else { Issue.record("expected digest mismatch, got \(error)"); return }
        }
        #expect(consumer.finished == 0)
        #expect(consumer.data.count == layer.size)
        let imageSource = RegistryImageSource(client: client, rootDigest: try Digest(parsing: pushed.manifestDigest))
        // The corrupt config is refused when the image is resolved.
        #expect(throws: BlobVerificationError.self) { try ImageResolver.resolve(imageSource, platform: nil) }
        // The client itself passes bytes through as received; verifying is the consumer's job.
        let passthrough = CollectingConsumer()
        try client.fetchBlob(layerDigest, into: passthrough)
        #expect(passthrough.finished == 1)
        #expect(try Self.sha256(passthrough.data) != layer.digest)
    }

    @Test func unreachableRegistryFailsAfterBoundedRetries() throws {
        // A port nothing listens on (bound then released).
        let registry = try TestRegistry(.plain)
        let address = registry.url
        registry.stop()
        let client = RegistryClient(registry: address, repository: "x",
                                    options: RegistryOptions(connectTimeout: .seconds(2), retry: Self.fastRetry))
        let started = ContinuousClock.now
        do {
            _ = try client.headManifest("v1")
            Issue.record("reached a stopped registry")
        } catch let error as RegistryError {
            guard case .tooManyRetries(let attempts, let cause) = error else { Issue.record("got \(error)"); return }
            #expect(attempts == 3)
            #expect(cause.contains("onnect"))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
