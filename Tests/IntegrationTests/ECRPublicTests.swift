import Foundation
import Testing
import TestSupport

/// Amazon ECR Public through the executable: `public.ecr.aws` is a real
/// docker-registry with token auth (anonymous pulls allowed, pushes only for
/// user `AWS`) behind a resolving forward proxy; the ECR Public API is a
/// stand-in that checks SigV4 with botocore's signer (moto has no ECR Public).
@Suite("ECR Public login", .serialized)
struct ECRPublicTests {
    static let host = "public.ecr.aws"

    final class World: Sendable {
        let moto: MotoServer
        let api: ECRPublicStandIn
        let registry: TestRegistry
        let proxy: FaultProxy
        let image: PushedImage
        let password: String

        init() throws {
            moto = try MotoServer.shared()
            password = "ecr-public-" + UUID().uuidString
            api = try ECRPublicStandIn(keys: [moto.user, moto.chainUser], password: password)
            registry = try TestRegistry(TestRegistryOptions(
                tls: true, auth: .token(anonymousPull: true), username: "AWS", password: password,
                extraHostNames: [ECRPublicTests.host]))
            proxy = try FaultProxy(forwardProxy: (), resolving: [ECRPublicTests.host: "127.0.0.1:\(registry.port)"])
            image = try push(ImageSpec(tag: "v1", layers: [LayerSpec([.file("hello", "from ECR Public\n")])]),
                             to: registry, repository: "ri-alias/app")
        }

        static let shared: Result<World, any Error> = Result { try World() }

        /// No ambient AWS credentials; ECR Public's API at the stand-in (the
        /// specific variable winning over AWS_ENDPOINT_URL, which names moto).
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            var environment = [
                "AWS_ENDPOINT_URL": moto.endpoint, "AWS_ENDPOINT_URL_ECR_PUBLIC": api.url,
                "HTTPS_PROXY": proxy.baseURL.absoluteString,
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
                "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
                "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "",
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
            ]
            environment.merge(extra) { $1 }
            return environment
        }

        func source(_ extra: [String: Any] = [:]) -> [String: Any] {
            var source: [String: Any] = [
                "repository": "\(ECRPublicTests.host)/ri-alias/app", "tag": "v1", "debug": true,
                "ca_certs": [registry.caCertificatePEM ?? ""],
            ]
            source.merge(extra) { $1 }
            return source
        }
    }

    static func world() throws -> World { try World.shared.get() }

    @Test func anonymousPullsNeedNoAWSCredentials() throws {
        let world = try Self.world()
        let before = try world.api.calls().count
        let check = try ResourceRunner.run(["check"], request: ["source": world.source()], environment: world.environment())
        #expect(check.status == 0, "\(check.stderr)")
        let versions = (try? JSONSerialization.jsonObject(with: check.stdout)) as? [[String: Any]] ?? []
        #expect(versions.compactMap { $0["digest"] as? String } == [world.image.manifestDigest])
        let destination = try TemporaryDirectory(prefix: "ecr-public-in")
        let fetched = try ResourceRunner.run(
            ["in", destination.path],
            request: ResourceRunner.inRequest(repository: "\(Self.host)/ri-alias/app", digest: world.image.manifestDigest,
                                              source: world.source(), params: ["format": "rootfs"]),
            environment: world.environment())
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect((try? String(contentsOf: destination.appending("rootfs/hello"), encoding: .utf8)) == "from ECR Public\n")
        #expect(try world.api.calls().count == before, "no ECR Public API call without credentials")
        #expect(try world.proxy.stats().forwarded.contains("CONNECT \(Self.host):443"))
    }

    @Test func sourceKeysCheckGetAndPutWithoutARegion() throws {
        let world = try Self.world()
        let user = world.moto.user
        let source = world.source(["aws_access_key_id": user.accessKeyId, "aws_secret_access_key": user.secretAccessKey])
        let before = try world.api.calls().count
        let outputs = try CloudRoundTrip(registry: world.registry, digest: world.image.manifestDigest, file: "hello",
                                         content: "from ECR Public\n")
            .run(source: source, environment: world.environment(), pushRepository: "\(Self.host)/ri-alias/pushed",
                 pushedName: "ecr-public")
        let calls = try world.api.calls().dropFirst(before).filter { $0.accessKeyId == user.accessKeyId }
        #expect(calls.count == 3 && calls.allSatisfy { $0.status == 200 && $0.region == "us-east-1" && $0.service == "ecr-public" })
        for output in outputs {
            #expect(!output.contains(user.secretAccessKey) && !output.contains(world.password))
        }
    }

    @Test func credentialsFromTheChainAreUsedWhenPresent() throws {
        let world = try Self.world()
        let user = world.moto.chainUser
        let before = try world.api.calls().count
        let check = try ResourceRunner.run(["check"], request: ["source": world.source()], environment: world.environment([
            "AWS_ACCESS_KEY_ID": user.accessKeyId, "AWS_SECRET_ACCESS_KEY": user.secretAccessKey,
        ]))
        #expect(check.status == 0, "\(check.stderr)")
        let calls = try world.api.calls().dropFirst(before)
        #expect(calls.map(\.accessKeyId) == [user.accessKeyId] && calls.first?.status == 200)
    }

    @Test func refusedWorkerCredentialsFallBackToAnonymousPulls() throws {
        let world = try Self.world()
        // The worker's own keys, which ECR Public refuses (an instance profile without its permissions).
        let wrong = "Wr0ngWorkerSecretWr0ngWorkerSecretWr0ngW"
        let before = try world.api.calls().count
        let result = try ResourceRunner.run(["check"], request: ["source": world.source()], environment: world.environment([
            "AWS_ACCESS_KEY_ID": world.moto.user.accessKeyId, "AWS_SECRET_ACCESS_KEY": wrong,
        ]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("continuing anonymously") && !result.stderr.contains(wrong), "\(result.stderr)")
        #expect(try world.api.calls().dropFirst(before).map(\.status) == [403])
    }

    @Test func aWrongSecretIsOneLineWithoutSecrets() throws {
        let world = try Self.world()
        let wrong = "Wr0ngSecretWr0ngSecretWr0ngSecretWr0ngSe"
        let result = try ResourceRunner.run(
            ["check"], request: ["source": world.source(["aws_access_key_id": world.moto.user.accessKeyId,
                                                         "aws_secret_access_key": wrong])],
            environment: world.environment())
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first?.contains("cannot authenticate with ECR Public:") == true)
        #expect(errors.first?.contains("InvalidSignatureException") == true, "\(result.stderr)")
        #expect(!result.stderr.contains(wrong) && !result.stderr.contains(world.password))
    }
}
