import Foundation
import TestSupport
import Testing

/// `in` over TLS, htpasswd Basic and Bearer tokens, through the executable;
/// credentials never reach stderr, even with `debug: true`.
@Suite("in: TLS and auth end to end", .serialized)
struct FetchTransportTests {
    static let image = ImageSpec(tag: "v1", config: ImageConfigSpec(env: ["X=1"]), layers: [
        LayerSpec([.file("hello", "over the wire")], compression: .zstd),
    ])

    static func fetch(_ registry: TestRegistry, _ repository: String, digest: String, extra: [String: Any],
                      ca: Bool = true) throws -> (CommandResult, TemporaryDirectory) {
        var source = FetchRequests.source(registry, repository, extra: extra)
        if !ca { source["ca_certs"] = nil }
        let dest = try TemporaryDirectory(prefix: "in-dest")
        return (try FetchRequests.runIn(dest.url, source: source, version: ["tag": "v1", "digest": digest]), dest)
    }

    static func expectFetched(_ result: CommandResult, _ dest: TemporaryDirectory,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(FileTree(dest.appending("rootfs")).contents("hello") == "over the wire", sourceLocation: sourceLocation)
    }

    @Test func tlsWithGeneratedCATrustedOnlyViaCACerts() throws {
        let registry = try TestRegistry(.tls)
        let pushed = try push(Self.image, to: registry, repository: "e2e/tls")

        let (trusted, dest) = try Self.fetch(registry, "e2e/tls", digest: pushed.manifestDigest, extra: [:])
        Self.expectFetched(trusted, dest)

        // Without the CA the certificate is refused, with no fallback to plain HTTP.
        let (refused, refusedDest) = try Self.fetch(registry, "e2e/tls", digest: pushed.manifestDigest, extra: [:], ca: false)
        FetchRequests.expectCleanFailure(refused, mentioning: "certificate")
        #expect(!FetchRequests.names(refusedDest.url).contains("rootfs"))

        // A CA that did not sign the server's certificate is no better.
        let other = try TestRegistry(.tls)
        let (wrongCA, _) = try Self.fetch(
            registry, "e2e/tls", digest: pushed.manifestDigest, extra: ["ca_certs": [other.caCertificatePEM ?? ""]])
        FetchRequests.expectCleanFailure(wrongCA, mentioning: "certificate")
    }

    /// The system trust is the bundle Go reads, `SSL_CERT_FILE` when set: a
    /// registry whose CA is in that file is trusted without `ca_certs` (both
    /// the manifest's handle and the prefetch's verify against the one
    /// store), and a file holding another CA trusts nothing of it.
    @Test func systemTrustComesFromSSLCertFile() throws {
        let registry = try TestRegistry(.tls)
        let image = ImageSpec(tag: "v1", config: ImageConfigSpec(env: ["X=1"]), layers: [
            LayerSpec([.file("hello", "over the wire")]), LayerSpec([.file("second", "two")]),
        ])
        let pushed = try push(image, to: registry, repository: "e2e/certfile")
        let source = ["repository": "\(registry.url)/e2e/certfile"]
        let version = ["tag": "v1", "digest": pushed.manifestDigest]
        let caFile = try #require(registry.caCertificatePath).path

        let dest = try TemporaryDirectory(prefix: "in-dest")
        let trusted = try ResourceRunner.run(["in", dest.path], request: ["source": source, "version": version],
                                             environment: ["SSL_CERT_FILE": caFile])
        Self.expectFetched(trusted, dest)
        #expect(FileTree(dest.appending("rootfs")).contents("second") == "two")

        let other = try TestRegistry(.tls)
        let refusedDest = try TemporaryDirectory(prefix: "in-dest")
        let refused = try ResourceRunner.run(
            ["in", refusedDest.path], request: ["source": source, "version": version],
            environment: ["SSL_CERT_FILE": try #require(other.caCertificatePath).path])
        FetchRequests.expectCleanFailure(refused, mentioning: "certificate")
        #expect(!FetchRequests.names(refusedDest.url).contains("rootfs"))
    }

    @Test func plainHTTPRegistryOnLoopbackWorksWithoutInsecure() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "e2e/plain")
        let (result, dest) = try Self.fetch(registry, "e2e/plain", digest: pushed.manifestDigest, extra: [:])
        Self.expectFetched(result, dest)
    }

    @Test func htpasswdBasicOverTLS() throws {
        let registry = try TestRegistry(.basicAuth)
        let user = try #require(registry.username), password = try #require(registry.password)
        let pushed = try push(Self.image, to: registry, repository: "e2e/basic")

        for debug in [false, true] {
            let (result, dest) = try Self.fetch(
                registry, "e2e/basic", digest: pushed.manifestDigest,
                extra: ["username": user, "password": password, "debug": debug])
            Self.expectFetched(result, dest)
            #expect(!result.stderr.contains(password), "password in stderr: \(result.stderr)")
            #expect(!result.stderr.contains(Data("\(user):\(password)".utf8).base64EncodedString()))
            // debug: logs, no progress; otherwise per-layer progress and no debug lines.
            #expect(result.stderr.contains("debug: extracting layer 1 of 1") == debug, "\(result.stderr)")
            #expect(result.stderr.contains("layer 1/1") == !debug, "\(result.stderr)")
            #expect(!result.stdoutString.contains("layer 1"))
        }

        for (name, extra) in [("wrong password", ["username": user, "password": "not-\(password)", "debug": true]),
                              ("no credentials", [:] as [String: Any])] {
            let (result, dest) = try Self.fetch(registry, "e2e/basic", digest: pushed.manifestDigest, extra: extra)
            FetchRequests.expectCleanFailure(result)
            #expect(result.stderr.lowercased().contains("auth") || result.stderr.contains("401"), "\(name): \(result.stderr)")
            #expect(!result.stderr.contains("not-\(password)"))
            #expect(!FetchRequests.names(dest.url).contains("rootfs"))
        }
    }

    @Test func bearerTokensFromTokenServer() throws {
        let registry = try TestRegistry(.token)
        let user = try #require(registry.username), password = try #require(registry.password)
        let pushed = try push(Self.image, to: registry, repository: "e2e/token")
        let before = try registry.tokenRequestCount()

        let (result, dest) = try Self.fetch(
            registry, "e2e/token", digest: pushed.manifestDigest,
            extra: ["username": user, "password": password, "debug": true])
        Self.expectFetched(result, dest)
        let stats = try registry.tokenServerStats()
        #expect(stats.tokenRequests > before)
        #expect(stats.lastScopes.contains { $0.contains("repository:e2e/token:pull") })
        #expect(stats.lastAuthorization)
        #expect(!result.stderr.contains(password))
        // No bearer token (or any Authorization value) is logged.
        #expect(!result.stderr.contains("Bearer ") && !result.stderr.lowercased().contains("authorization:"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("eyJ"), "a JWT-looking token in stderr")

        // check goes through the same client and token flow.
        let check = try ResourceRunner.run(["check"], request: [
            "source": FetchRequests.source(registry, "e2e/token",
                                           extra: ["tag": "v1", "username": user, "password": password, "debug": true]),
        ])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(try ResourceRunner.json(check) as? [[String: String]] == [["tag": "v1", "digest": pushed.manifestDigest]])
        #expect(!check.stderr.contains(password) && !check.stderr.contains("eyJ"))

        let (denied, deniedDest) = try Self.fetch(
            registry, "e2e/token", digest: pushed.manifestDigest,
            extra: ["username": user, "password": "wrong-\(password)", "debug": true])
        FetchRequests.expectCleanFailure(denied)
        #expect(!denied.stderr.contains("wrong-\(password)"))
        #expect(!FetchRequests.names(deniedDest.url).contains("rootfs"))
    }

    @Test func anonymousPullTokens() throws {
        let registry = try TestRegistry(TestRegistryOptions(tls: true, auth: .token(anonymousPull: true)))
        let pushed = try push(Self.image, to: registry, repository: "e2e/anon")
        let (result, dest) = try Self.fetch(registry, "e2e/anon", digest: pushed.manifestDigest, extra: [:])
        Self.expectFetched(result, dest)
        #expect(try registry.tokenServerStats().lastAuthorization == false)
    }
}
