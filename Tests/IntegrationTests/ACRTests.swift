import Foundation
import Testing
import TestSupport

/// ACR login with managed identity through the executable: a managed-identity
/// stand-in and an ACR front (challenge, `/oauth2/exchange`, token endpoint)
/// before a real TLS docker-registry, reached as `*.azurecr.io` / `.us`
/// through a resolving forward proxy. The stand-ins record the shape of every
/// request (resource, client_id, headers, tenant), which the tests check.
@Suite("ACR login (managed identity)")
struct ACRTests {
    static let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
    static let publicHost = "riacr.azurecr.io"
    static let governmentHost = "riacr.azurecr.us"

    /// The registry (with one image) that every ACR front forwards to.
    final class Backend: Sendable {
        let registry: TestRegistry
        let image: PushedImage

        init() throws {
            registry = try TestRegistry(TestRegistryOptions(
                tls: true, extraHostNames: [ACRTests.publicHost, ACRTests.governmentHost]))
            image = try push(ImageSpec(tag: "v1", layers: [LayerSpec([.file("hello", "from ACR\n")])]),
                             to: registry, repository: "ri/app")
        }

        static let shared: Result<Backend, any Error> = Result { try Backend() }
    }

    /// One ACR front expecting `resource` and `clientID`, and a proxy resolving both ACR names to it.
    struct Front {
        let backend: Backend
        let acr: ACRStandIn
        let proxy: FaultProxy

        init(resource: String = "https://management.azure.com", clientID: String? = nil) throws {
            backend = try Backend.shared.get()
            acr = try ACRStandIn(registry: backend.registry, tenant: ACRTests.tenant, resource: resource, clientID: clientID)
            let target = "127.0.0.1:\(acr.frontPort)"
            proxy = try FaultProxy(forwardProxy: (), resolving: [ACRTests.publicHost: target, ACRTests.governmentHost: target])
        }

        /// IMDS at the stand-in (`AZURE_POD_IDENTITY_AUTHORITY_HOST`), or its
        /// App Service flavour when `appService`.
        func environment(appService: Bool = false) -> [String: String] {
            var environment = ["HTTPS_PROXY": proxy.baseURL.absoluteString, "IDENTITY_ENDPOINT": "", "IDENTITY_HEADER": "",
                               "AZURE_POD_IDENTITY_AUTHORITY_HOST": acr.identityURL]
            if appService {
                // An endpoint URL with its own query, which must be kept.
                environment["IDENTITY_ENDPOINT"] = acr.identityURL + "/msi/token?origin=app-service"
                environment["IDENTITY_HEADER"] = acr.identityHeader
                environment["AZURE_POD_IDENTITY_AUTHORITY_HOST"] = "http://127.0.0.1:9"
            }
            return environment
        }

        func source(host: String = ACRTests.publicHost, _ extra: [String: Any] = [:]) -> [String: Any] {
            var source: [String: Any] = [
                "repository": "\(host)/ri/app", "azure_acr": true, "tag": "v1",
                "ca_certs": [backend.registry.caCertificatePEM ?? ""],
            ]
            source.merge(extra) { $1 }
            return source
        }

        func check(_ source: [String: Any], appService: Bool = false) throws -> CommandResult {
            try ResourceRunner.run(["check"], request: ["source": source], environment: environment(appService: appService))
        }

        func stop() {
            proxy.stop()
            acr.stop()
        }
    }

    static func digests(_ result: CommandResult) throws -> [String] {
        let versions = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
        return versions.compactMap { $0["digest"] as? String }
    }

    @Test func systemIdentityOverIMDSWithTheChallengeTenant() throws {
        let front = try Front()
        defer { front.stop() }
        let result = try front.check(front.source(["debug": true]))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try Self.digests(result) == [front.backend.image.manifestDigest])

        let stats = try front.acr.stats()
        #expect(stats.refused.isEmpty, "\(stats.refused)")
        let identity = try #require(stats.identity.first)
        #expect(stats.identity.count == 1)
        #expect(identity.path == "/metadata/identity/oauth2/token")
        #expect(identity.query == ["api-version": "2018-02-01", "resource": "https://management.azure.com"])
        #expect(identity.metadataHeader == "true" && !identity.identityHeaderPresent)
        // The tenant came from the unauthenticated /v2/ challenge, asked before the exchange.
        #expect(Array(stats.events.prefix(3)) == ["identity", "challenge", "exchange"])
        let exchange = try #require(stats.exchanges.first)
        #expect(stats.exchanges.count == 1)
        #expect(exchange.grant_type == "access_token" && exchange.service == Self.publicHost)
        #expect(exchange.tenant == Self.tenant && exchange.accessTokenKnown)
        #expect(exchange.contentType == "application/x-www-form-urlencoded")
        #expect(!stats.tokens.isEmpty && stats.tokens.allSatisfy {
            $0.user == "00000000-0000-0000-0000-000000000000" && $0.refreshTokenKnown && $0.service == Self.publicHost
        })
        #expect(stats.forwarded > 0)
        #expect(stats.issued.count >= 3)
        for token in stats.issued {
            #expect(!result.stderr.contains(token) && !result.stdoutString.contains(token), "a token was printed (debug: true)")
        }
    }

    @Test func userAssignedIdentityOverAppServiceWithAnExplicitTenant() throws {
        let front = try Front(clientID: "11111111-2222-3333-4444-555555555555")
        defer { front.stop() }
        let result = try front.check(
            front.source(["azure_client_id": "11111111-2222-3333-4444-555555555555", "azure_tenant_id": Self.tenant]),
            appService: true)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try Self.digests(result) == [front.backend.image.manifestDigest])
        let stats = try front.acr.stats()
        #expect(stats.refused.isEmpty, "\(stats.refused)")
        let identity = try #require(stats.identity.first)
        #expect(identity.path == "/msi/token" && identity.identityHeaderPresent && identity.metadataHeader == nil)
        #expect(identity.query == ["origin": "app-service", "api-version": "2019-08-01",
                                   "resource": "https://management.azure.com",
                                   "client_id": "11111111-2222-3333-4444-555555555555"])
        // No /v2/ round trip before the exchange when the tenant is given.
        #expect(Array(stats.events.prefix(2)) == ["identity", "exchange"])
        #expect(stats.exchanges.first?.tenant == Self.tenant)
    }

    @Test func governmentCloudIsDetectedFromTheDomainAndInWorks() throws {
        let front = try Front(resource: "https://management.usgovcloudapi.net")
        defer { front.stop() }
        let destination = try TemporaryDirectory(prefix: "acr-in")
        var request = ResourceRunner.inRequest(repository: "\(Self.governmentHost)/ri/app",
                                             digest: front.backend.image.manifestDigest,
                                             source: front.source(host: Self.governmentHost))
        request["params"] = ["format": "rootfs"]
        let result = try ResourceRunner.run(["in", destination.path], request: request, environment: front.environment())
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try String(contentsOf: destination.appending("rootfs/hello"), encoding: .utf8) == "from ACR\n")
        #expect(try String(contentsOf: destination.appending("repository"), encoding: .utf8) == "\(Self.governmentHost)/ri/app")
        let stats = try front.acr.stats()
        #expect(stats.refused.isEmpty, "\(stats.refused)")
        #expect(stats.identity.first?.query["resource"] == "https://management.usgovcloudapi.net")
    }

    @Test func azureEnvironmentOverridesTheDomain() throws {
        let front = try Front(resource: "https://management.chinacloudapi.cn")
        defer { front.stop() }
        let result = try front.check(front.source(["azure_environment": "AzureChina"]))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try front.acr.stats().identity.first?.query["resource"] == "https://management.chinacloudapi.cn")
    }

    @Test func wrongTenantIsOneErrorWithTheHintAndNoToken() throws {
        let front = try Front()
        defer { front.stop() }
        var source = front.source(["azure_tenant_id": "00000000-1111-2222-3333-444444444444"])
        source["debug"] = true
        let result = try front.check(source)
        expectOneLoginError(result, "cannot authenticate with ACR", "HTTP 401", "azure_tenant_id")
        #expect(!result.stderr.contains("aad-"), "the Azure AD token must not be printed")
        #expect(try front.acr.stats().forwarded == 0)
    }
}
