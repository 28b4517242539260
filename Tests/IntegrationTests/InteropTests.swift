import Foundation
import TestSupport
import Testing

/// Real-world behaviour through the executable: proxy variables as Go's
/// resource reads them, credentials kept out of every log, `Authorization`
/// kept from other hosts on redirects.
@Suite("Interop", .serialized)
struct InteropTests {
    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(labels: ["interop": "yes"]),
        layers: [LayerSpec([.dir("etc"), .file("etc/interop", "interop\n")])])

    /// A registry reached by the name `registry.test` (no DNS has it: only the
    /// forward proxy, which maps it to 127.0.0.1, can reach it). A name that
    /// is not loopback is what makes the resource use a proxy at all.
    final class ProxiedRegistry {
        let registry: TestRegistry
        let proxy: FaultProxy
        let digest: String
        var repository: String { "registry.test:\(registry.port)/interop/app" }

        init() throws {
            registry = try TestRegistry(.plain)
            digest = try push(InteropTests.image, to: registry, repository: "interop/app").manifestDigest
            proxy = try FaultProxy(forwardProxy: (), resolving: ["registry.test": "127.0.0.1"])
        }

        deinit {
            proxy.stop()
            registry.stop()
        }

        var proxyURL: String { proxy.baseURL.absoluteString }

        func check(_ environment: [String: String], repository: String? = nil) throws -> CommandResult {
            try ResourceRunner.run(
                ["check"], request: ["source": ["repository": repository ?? self.repository, "tag": "v1", "insecure": true]],
                environment: environment)
        }
    }

    @Test(arguments: ["HTTP_PROXY", "http_proxy"]) func proxyVariableIsHonoured(name: String) throws {
        let setup = try ProxiedRegistry()
        let result = try setup.check([name: setup.proxyURL])
        #expect(result.status == 0, "\(result.stderr)")
        let versions = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: String]]
        #expect(versions == [["tag": "v1", "digest": setup.digest]])
        let forwarded = try setup.proxy.stats().forwarded
        #expect(forwarded.contains { $0.hasPrefix("GET http://registry.test:\(setup.registry.port)/v2/") }, "\(forwarded)")

        // `in` goes through the proxy too, blobs included.
        let destination = try TemporaryDirectory(prefix: "interop-in")
        let fetched = try ResourceRunner.run(
            ["in", destination.path],
            request: ResourceRunner.inRequest(repository: setup.repository, digest: setup.digest, source: ["insecure": true]),
            environment: [name: setup.proxyURL])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(FileManager.default.contents(atPath: destination.path + "/rootfs/etc/interop") == Data("interop\n".utf8))
        #expect(try setup.proxy.stats().forwarded.contains { $0.contains("/blobs/sha256:") })
    }

    @Test(arguments: ["NO_PROXY", "no_proxy"]) func noProxyBypassesTheProxy(name: String) throws {
        let setup = try ProxiedRegistry()
        // Direct, registry.test cannot be resolved: the check must fail without touching the proxy.
        let result = try setup.check(["HTTP_PROXY": setup.proxyURL, name: "example.org,registry.test"])
        #expect(result.status == 1)
        #expect(try setup.proxy.stats().forwarded == [])
        #expect(result.stderr.contains("registry.test"), "\(result.stderr)")
    }

    @Test func loopbackIsNeverProxied() throws {
        let setup = try ProxiedRegistry()
        let result = try setup.check(
            ["HTTP_PROXY": setup.proxyURL, "HTTPS_PROXY": setup.proxyURL],
            repository: "127.0.0.1:\(setup.registry.port)/interop/app")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try setup.proxy.stats().forwarded == [])
    }

    @Test(arguments: [
        TestRegistryOptions(tls: true, auth: .basic, password: "Pa55-basic-s3cret"),
        TestRegistryOptions(tls: true, auth: .token(anonymousPull: false), password: "Pa55-token-s3cret"),
    ])
    func credentialsAreNeverPrinted(options: TestRegistryOptions) throws {
        let registry = try TestRegistry(options)
        defer { registry.stop() }
        let digest = try push(Self.image, to: registry, repository: "interop/secret").manifestDigest
        let username = try #require(registry.username)
        let password = try #require(registry.password)
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
        let repository = "\(registry.url)/interop/secret"
        var source: [String: Any] = ["repository": repository, "tag": "v1", "username": username, "password": password, "debug": true]
        if let ca = registry.caCertificatePEM { source["ca_certs"] = [ca] }

        let check = try ResourceRunner.run(["check"], request: ["source": source])
        #expect(check.status == 0, "\(check.stderr)")
        let destination = try TemporaryDirectory(prefix: "interop-secret")
        let fetched = try ResourceRunner.run(
            ["in", destination.path], request: ["source": source, "version": ["tag": "v1", "digest": digest]])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        source["password"] = password + "-wrong"
        let refused = try ResourceRunner.run(["check"], request: ["source": source])
        #expect(refused.status == 1)

        let runs: [(String, CommandResult)] = [("check", check), ("in", fetched), ("refused check", refused)]
        for (name, result) in runs {
            let stderr = result.stderr
            #expect(!stderr.isEmpty, "\(name): debug printed nothing")
            #expect(!stderr.contains(password), "\(name) printed the password")
            #expect(!stderr.contains(basic), "\(name) printed the Basic credentials")
            #expect(!stderr.contains("Bearer "), "\(name) printed a bearer token")
            #expect(!stderr.lowercased().contains("authorization:"), "\(name) printed an Authorization header")
            // Tokens from the token server are JWT-like (three base64url parts); none may appear.
            #expect(stderr.range(of: #"ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\."#, options: .regularExpression) == nil,
                    "\(name) printed a token")
        }
    }

    @Test func authorizationIsDroppedOnCrossHostRedirects() throws {
        let registry = try TestRegistry(.basicAuth)
        defer { registry.stop() }
        let digest = try push(Self.image, to: registry, repository: "interop/redirect").manifestDigest
        let proxy = try FaultProxy(upstream: registry, faults: FaultProxyConfig(redirectBlobsToHost: "localhost"))
        defer { proxy.stop() }
        let destination = try TemporaryDirectory(prefix: "interop-redirect")
        var source: [String: Any] = ["username": try #require(registry.username), "password": try #require(registry.password)]
        if let ca = registry.caCertificatePEM { source["ca_certs"] = [ca] }
        let result = try ResourceRunner.run(
            ["in", destination.path],
            request: ResourceRunner.inRequest(repository: "\(proxy.url)/interop/redirect", digest: digest, source: source))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: destination.path + "/rootfs/etc/interop") == Data("interop\n".utf8))
        let stats = try proxy.stats()
        #expect(stats.redirected >= 2)  // config and layer
        #expect(stats.authorizationOnRedirect.allSatisfy { !$0 }, "\(stats.authorizationOnRedirect)")
        #expect(stats.authorizationSeen > 0)  // the same-host requests did carry it
    }
}
