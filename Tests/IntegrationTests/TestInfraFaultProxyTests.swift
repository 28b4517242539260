import Foundation
import TestSupport
import Testing

/// `fault_proxy.py` injects each fault it promises, and the forward mode forwards.
@Suite("Test infrastructure: fault proxy")
struct TestInfraFaultProxyTests {
    private struct Curl {
        let status: String
        let body: Data
        let headers: String
        let exitCode: Int32
    }

    private func curl(_ url: String, _ extra: [String] = []) throws -> Curl {
        let scratch = try TemporaryDirectory(prefix: "curl")
        let bodyURL = scratch.appending("body")
        let headersURL = scratch.appending("headers")
        let result = try ExternalCommand.run(
            "curl", ["-sS", "-o", bodyURL.path, "-D", headersURL.path, "-w", "%{http_code}"] + extra + [url])
        return Curl(
            status: result.stdoutString, body: (try? Data(contentsOf: bodyURL)) ?? Data(),
            headers: (try? String(contentsOf: headersURL, encoding: .utf8)) ?? "", exitCode: result.status)
    }

    private static let image = ImageSpec(
        tag: "v1", layers: [LayerSpec([.randomFile("payload", size: 200_000)], compression: .none)])

    private func blobURL(_ proxy: FaultProxy, _ digest: String, repository: String = "fault/blob") -> String {
        "\(proxy.baseURL.absoluteString)/v2/\(repository)/blobs/\(digest)"
    }

    @Test func injects429And503ThenForwards() throws {
        let registry = try TestRegistry()
        let proxy = try FaultProxy(
            upstream: registry,
            faults: FaultProxyConfig(
                tooManyRequests: .init(count: 1, retryAfter: 2),
                serviceUnavailable: .init(count: 2, pathPattern: "/manifests/")))
        let first = try curl(proxy.baseURL.absoluteString + "/v2/")
        #expect(first.status == "429")
        #expect(first.headers.lowercased().contains("retry-after: 2"))
        #expect(try curl(proxy.baseURL.absoluteString + "/v2/").status == "200")
        try push(Self.image, to: registry, repository: "fault/status")
        let manifest = proxy.baseURL.absoluteString + "/v2/fault/status/manifests/v1"
        let accept = ["-H", "Accept: application/vnd.oci.image.manifest.v1+json"]
        #expect(try curl(manifest, accept).status == "503")
        #expect(try curl(manifest, accept).status == "503")
        #expect(try curl(manifest, accept).status == "200")
        let stats = try proxy.stats()
        #expect(stats.injected429 == 1)
        #expect(stats.injected503 == 2)
        #expect(stats.count("GET", pathContaining: "/manifests/v1") == 3)
        #expect(stats.total == 5)
    }

    @Test func cutsBlobBodiesAndForwardsRanges() throws {
        let registry = try TestRegistry()
        let pushed = try push(Self.image, to: registry, repository: "fault/blob")
        let layer = try #require(pushed.image.layers?.first)
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(cutBlobBody: .init(afterBytes: 5000, times: 2)))
        for _ in 0..<2 {
            let cut = try curl(blobURL(proxy, layer.digest))
            #expect(cut.exitCode == 18)  // transfer closed with outstanding read data
            #expect(cut.body.count == 5000)
        }
        let full = try curl(blobURL(proxy, layer.digest))
        #expect(full.status == "200")
        #expect(full.body.count == layer.size)
        let ranged = try curl(blobURL(proxy, layer.digest), ["-H", "Range: bytes=5000-"])
        #expect(ranged.status == "206")
        #expect(ranged.body == full.body.subdata(in: 5000..<full.body.count))
        let stats = try proxy.stats()
        #expect(stats.cuts == 2)
        #expect(stats.ranges == ["bytes=5000-"])
    }

    @Test func headNotAllowedAndDigestHeaderStripped() throws {
        let registry = try TestRegistry()
        try push(Self.image, to: registry, repository: "fault/head")
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(headNotAllowed: true, stripDigestHeader: true))
        let manifest = proxy.baseURL.absoluteString + "/v2/fault/head/manifests/v1"
        let accept = ["-H", "Accept: application/vnd.oci.image.manifest.v1+json"]
        #expect(try curl(manifest, accept + ["-I"]).status == "405")
        let get = try curl(manifest, accept)
        #expect(get.status == "200")
        #expect(!get.headers.lowercased().contains("docker-content-digest"))
        let direct = try curl(registry.baseURL.absoluteString + "/v2/fault/head/manifests/v1", accept)
        #expect(direct.headers.lowercased().contains("docker-content-digest"))
        try proxy.configure(FaultProxyConfig())
        #expect(try curl(manifest, accept + ["-I"]).status == "200")
        #expect(try proxy.stats().headNotAllowed == 1)
    }

    @Test func redirectsBlobsToAnotherHostName() throws {
        let registry = try TestRegistry(TestRegistryOptions(auth: .basic))
        let pushed = try push(Self.image, to: registry, repository: "fault/blob")
        let layer = try #require(pushed.image.layers?.first)
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(redirectBlobsToHost: "localhost"))
        let creds = ["-u", try #require(registry.credentials)]
        let noFollow = try curl(blobURL(proxy, layer.digest), creds)
        #expect(noFollow.status == "307")
        #expect(noFollow.headers.contains("Location: http://localhost:\(proxy.port)/__redirected/"))
        // curl drops credentials when a redirect changes host; the target still serves the blob.
        let followed = try curl(blobURL(proxy, layer.digest), creds + ["-L"])
        #expect(followed.status == "200")
        #expect(followed.body.count == layer.size)
        // --location-trusted sends them on: the proxy records the difference.
        _ = try curl(blobURL(proxy, layer.digest), creds + ["-L", "--location-trusted"])
        let stats = try proxy.stats()
        #expect(stats.redirected == 2)
        #expect(stats.authorizationOnRedirect == [false, true])
    }

    @Test func reordersAndPaginatesTags() throws {
        let registry = try TestRegistry()
        let layout = try buildFixture(Self.image)
        for tag in ["1.0.0", "1.1.0", "2.0.0", "latest", "0.9.0"] {
            try pushLayout(layout.url, layoutTag: "v1", to: registry, repository: "fault/tags", tag: tag)
        }
        let fixed = ["c", "a", "b", "e", "d"]
        let proxy = try FaultProxy(
            upstream: registry, faults: FaultProxyConfig(tagOrder: .init(tags: fixed, pageSize: 2)))
        var collected: [String] = []
        var next: String? = "/v2/fault/tags/tags/list"
        var pages = 0
        while let path = next, pages < 10 {
            let page = try curl(proxy.baseURL.absoluteString + path)
            #expect(page.status == "200")
            struct Tags: Decodable { let tags: [String] }
            collected += try JSONDecoder().decode(Tags.self, from: page.body).tags
            next = page.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("link:") }
                .flatMap { line in line.split(separator: "<").last?.split(separator: ">").first.map(String.init) }
            pages += 1
        }
        #expect(collected == fixed)
        #expect(pages == 3)

        try proxy.configure(FaultProxyConfig(tagOrder: .init(order: .reverse)))
        let direct = try curl(registry.baseURL.absoluteString + "/v2/fault/tags/tags/list")
        let reversed = try curl(proxy.baseURL.absoluteString + "/v2/fault/tags/tags/list")
        struct Tags: Decodable { let tags: [String] }
        let upstreamTags = try JSONDecoder().decode(Tags.self, from: direct.body).tags
        #expect(upstreamTags.count == 5)
        #expect(try JSONDecoder().decode(Tags.self, from: reversed.body).tags == upstreamTags.reversed())
    }

    @Test func tlsProxyWorksWithSkopeoAndLatency() throws {
        let registry = try TestRegistry(.basicAuth)
        let pushed = try push(Self.image, to: registry, repository: "fault/tls")
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(latencyMs: 50), tls: true)
        let start = Date()
        let out = try ExternalCommand.check(
            "skopeo",
            ["inspect"] + registry.skopeoInspectFlags() + ["docker://\(proxy.url)/fault/tls:v1"])
        let info = try JSONSerialization.jsonObject(with: out) as? [String: Any]
        #expect(info?["Digest"] as? String == pushed.manifestDigest)
        let stats = try proxy.stats()
        #expect(stats.authorizationSeen >= 1)
        #expect(Date().timeIntervalSince(start) >= Double(stats.total) * 0.05)
    }

    @Test func forwardProxyRecordsWhatItForwarded() throws {
        let registry = try TestRegistry()
        let tlsRegistry = try TestRegistry(.tls)
        let proxy = try FaultProxy.forward()
        let plain = try curl(registry.baseURL.absoluteString + "/v2/", ["-x", proxy.baseURL.absoluteString])
        #expect(plain.status == "200")
        let tunnelled = try curl(
            tlsRegistry.baseURL.absoluteString + "/v2/", ["-x", proxy.baseURL.absoluteString] + tlsRegistry.curlTLSFlags)
        #expect(tunnelled.status == "200")
        let stats = try proxy.stats()
        #expect(stats.forwarded == ["GET \(registry.baseURL.absoluteString)/v2/", "CONNECT \(tlsRegistry.url)"])
    }
}
