import Foundation
import Testing
import TestSupport

/// Google Artifact Registry login (`google_auth: true`) through the
/// executable: Google's token endpoint, STS, impersonation and the metadata
/// server are stand-ins (google_standin.py, cross-checked with google-auth);
/// the registry is a real docker-registry with token auth whose token
/// endpoint takes Basic `oauth2accesstoken:<access token>`, as GAR's does,
/// reached as `us-docker.pkg.dev` through a resolving forward proxy.
@Suite("GAR login (Google identity)", .serialized)
struct GARTests {
    static let host = "us-docker.pkg.dev"
    static let repository = "\(host)/ri-project/ri-repo/app"

    final class World: Sendable {
        let google: GoogleStandIn
        let cloud: CloudRegistry

        init() throws {
            let token = "ya29.ri-" + UUID().uuidString
            google = try GoogleStandIn(accessToken: token)
            cloud = try CloudRegistry(host: GARTests.host, auth: .token(anonymousPull: false), username: "oauth2accesstoken",
                                      password: token, repository: "ri-project/ri-repo/app", content: "from GAR\n")
        }

        static let shared: Result<World, any Error> = Result { try World() }

        /// No ambient Google settings: only what a test names.
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            cloud.environment([
                "GOOGLE_APPLICATION_CREDENTIALS": "", "CLOUDSDK_CONFIG": "/nonexistent/gcloud", "GCE_METADATA_HOST": "127.0.0.1:9",
            ], extra)
        }

        func source(_ extra: [String: Any] = [:]) -> [String: Any] {
            cloud.source(["repository": GARTests.repository, "google_auth": true, "debug": true], extra)
        }

        /// Nothing secret in any output: keys, subject tokens, issued tokens.
        func expectNoSecrets(_ outputs: [String]) throws {
            let secrets = google.secrets + (try google.stats().issued)
            for output in outputs {
                for secret in secrets where !secret.isEmpty {
                    #expect(!output.contains(secret), "a secret was printed")
                }
            }
        }
    }

    static func world() throws -> World { try World.shared.get() }

    enum Source: String, CaseIterable, Sendable {
        case serviceAccountInSource, externalAccountFileWithImpersonation, externalAccountURL, metadataServer,
             authorizedUserWellKnownFile
    }

    @Test(arguments: Source.allCases)
    func checkGetAndPut(_ kind: Source) throws {
        let world = try Self.world()
        let before = try world.google.stats()
        var source = world.source()
        var environment = world.environment()
        let gcloud = try TemporaryDirectory(prefix: "gcloud")
        switch kind {
        case .serviceAccountInSource:
            source["google_credentials"] = try String(contentsOfFile: world.google.files.serviceAccount, encoding: .utf8)
        case .externalAccountFileWithImpersonation:
            environment["GOOGLE_APPLICATION_CREDENTIALS"] = world.google.files.externalFile
        case .externalAccountURL:
            environment["GOOGLE_APPLICATION_CREDENTIALS"] = world.google.files.externalURL
        case .metadataServer:
            environment["GCE_METADATA_HOST"] = world.google.metadataHost
        case .authorizedUserWellKnownFile:
            try FileManager.default.copyItem(atPath: world.google.files.authorizedUser,
                                             toPath: gcloud.appending("application_default_credentials.json").path)
            environment["CLOUDSDK_CONFIG"] = gcloud.path
        }
        let outputs = try world.cloud.roundTrip.run(source: source, environment: environment,
                                              pushRepository: "\(Self.host)/ri-project/ri-repo/\(kind.rawValue.lowercased())",
                                              pushedName: kind.rawValue)
        try world.expectNoSecrets(outputs)

        // One login per process (check, in, out), each through the intended flow only.
        let after = try world.google.stats()
        #expect(after.refused.count == before.refused.count, "\(after.refused)")
        let assertions = Array(after.assertions.dropFirst(before.assertions.count))
        let exchanges = Array(after.exchanges.dropFirst(before.exchanges.count))
        let impersonations = after.impersonations.count - before.impersonations.count
        let metadata = after.metadata - before.metadata
        let refreshes = after.refreshes - before.refreshes
        switch kind {
        case .serviceAccountInSource:
            #expect(assertions.count == 3 && exchanges.isEmpty && metadata == 0)
            for assertion in assertions {
                #expect(assertion.header["alg"] == "RS256" && assertion.header["typ"] == "JWT" && assertion.header["kid"] != nil)
                #expect(assertion.claims == ["aud", "exp", "iat", "iss", "scope"])
                #expect(assertion.lifetime == 3600 && assertion.audIsTokenURI, "aud = the key's token_uri")
            }
        case .externalAccountFileWithImpersonation:
            #expect(exchanges.count == 3 && impersonations == 3 && assertions.isEmpty)
            #expect(exchanges.allSatisfy { $0.scope == "https://www.googleapis.com/auth/cloud-platform" })
            #expect(after.impersonations.suffix(3).allSatisfy { $0.lifetime == "3600s" && $0.email == world.google.email })
        case .externalAccountURL:
            #expect(exchanges.count == 3 && impersonations == 0 && after.subjects - before.subjects == 3)
        case .metadataServer:
            #expect(metadata == 3 && assertions.isEmpty && exchanges.isEmpty)
        case .authorizedUserWellKnownFile:
            #expect(refreshes == 3 && metadata == 0)
        }
    }

    @Test func impersonationLifetimeFromTheCredentialsFile() throws {
        let world = try Self.world()
        let data = try Data(contentsOf: URL(fileURLWithPath: world.google.files.externalFile))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["service_account_impersonation"] = ["token_lifetime_seconds": 1800]
        let directory = try TemporaryDirectory(prefix: "gar-lifetime")
        let file = directory.appending("external.json")
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        let result = try ResourceRunner.run(["check"], request: ["source": world.source()],
                                          environment: world.environment(["GOOGLE_APPLICATION_CREDENTIALS": file.path]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try world.google.stats().impersonations.last?.lifetime == "1800s")
    }

    @Test func googleAuthAgreesWithTheStandIns() throws {
        let world = try Self.world()
        let verdicts = try world.google.googleAuthCrossCheck()
        #expect(verdicts.count == 5)
        for (flow, verdict) in verdicts {
            #expect(verdict == "true", "google-auth \(flow): \(verdict)")
        }
        // The metadata server refuses a request without Metadata-Flavor: Google.
        let bare = try ExternalCommand.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}",
            "http://\(world.google.metadataHost)/computeMetadata/v1/instance/service-accounts/default/token"])
        #expect(bare.stdoutString == "403")
    }

    @Test func aKeyTheServerDoesNotKnowIsOneLineWithoutTheKey() throws {
        let world = try Self.world()
        // Another RSA key (made by openssl) in the same key file: the signature no longer verifies.
        let otherKey = try ExternalCommand.check("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        let keyFile = try Data(contentsOf: URL(fileURLWithPath: world.google.files.serviceAccount))
        var json = try #require(try JSONSerialization.jsonObject(with: keyFile) as? [String: Any])
        json["private_key"] = String(decoding: otherKey, as: UTF8.self)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        let result = try ResourceRunner.run(["check"], request: ["source": world.source(["google_credentials": text])],
                                          environment: world.environment())
        expectOneLoginError(result, "cannot authenticate with GAR:", "Invalid JWT Signature")
        let pemBody = String(decoding: otherKey, as: UTF8.self).split(separator: "\n").dropFirst().first.map(String.init) ?? "-"
        #expect(!result.stderr.contains(pemBody), "the key was printed")

        // No source at all (no file, no metadata server): one line naming what was tried.
        let none = try ResourceRunner.run(["check"], request: ["source": world.source()], environment: world.environment())
        #expect(none.status == 1)
        #expect(none.stderr.contains("cannot authenticate with GAR: no Google credentials found"), "\(none.stderr)")
    }

    @Test func googleFieldsAreCheckedBeforeAnyRequest() throws {
        let world = try Self.world()
        let cases: [([String: Any], String)] = [
            (["google_auth": false, "google_credentials": "{}"], "google_credentials"),
            (["username": "u", "password": "p"], "google_auth"),
            (["google_aut": true], "google_aut"),
        ]
        for (extra, field) in cases {
            let result = try ResourceRunner.run(["check"], request: ["source": world.source(extra)],
                                              environment: world.environment())
            #expect(result.status == 1)
            #expect(result.stderr.contains(field), "\(result.stderr)")
        }
        let inParams = try ResourceRunner.run(
            ["in", try TemporaryDirectory(prefix: "gar-params").path],
            request: ResourceRunner.inRequest(repository: Self.repository, digest: world.cloud.image.manifestDigest,
                                              source: world.source(), params: ["google_auth": true]),
            environment: world.environment())
        #expect(inParams.status == 1)
        #expect(inParams.stderr.contains("cloud login fields belong in source"), "\(inParams.stderr)")
    }
}
