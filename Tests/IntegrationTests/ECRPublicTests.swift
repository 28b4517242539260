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
        let password: String
        let cloud: CloudRegistry

        init() throws {
            moto = try MotoServer.shared()
            password = "ecr-public-" + UUID().uuidString
            api = try ECRPublicStandIn(keys: [moto.user, moto.chainUser], password: password)
            cloud = try CloudRegistry(host: ECRPublicTests.host, auth: .token(anonymousPull: true), username: "AWS",
                                      password: password, repository: "ri-alias/app", content: "from ECR Public\n")
        }

        static let shared: Result<World, any Error> = Result { try World() }

        /// No ambient AWS credentials; ECR Public's API at the stand-in (the
        /// specific variable winning over AWS_ENDPOINT_URL, which names moto).
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            cloud.environment(CloudRegistry.noAmbientAWS.merging([
                "AWS_ENDPOINT_URL": moto.endpoint, "AWS_ENDPOINT_URL_ECR_PUBLIC": api.url,
            ]) { $1 }, extra)
        }

        func source(_ extra: [String: Any] = [:]) -> [String: Any] {
            cloud.source(["repository": "\(ECRPublicTests.host)/ri-alias/app", "debug": true], extra)
        }
    }

    static func world() throws -> World { try World.shared.get() }

    @Test func anonymousPullsNeedNoAWSCredentials() throws {
        let world = try Self.world()
        let before = try world.api.calls().count
        let check = try ResourceRunner.run(["check"], request: ["source": world.source()], environment: world.environment())
        #expect(check.status == 0, "\(check.stderr)")
        let versions = (try? JSONSerialization.jsonObject(with: check.stdout)) as? [[String: Any]] ?? []
        #expect(versions.compactMap { $0["digest"] as? String } == [world.cloud.image.manifestDigest])
        let destination = try TemporaryDirectory(prefix: "ecr-public-in")
        let fetched = try ResourceRunner.run(
            ["in", destination.path],
            request: ResourceRunner.inRequest(repository: "\(Self.host)/ri-alias/app", digest: world.cloud.image.manifestDigest,
                                              source: world.source(), params: ["format": "rootfs"]),
            environment: world.environment())
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect((try? String(contentsOf: destination.appending("rootfs/hello"), encoding: .utf8)) == "from ECR Public\n")
        #expect(try world.api.calls().count == before, "no ECR Public API call without credentials")
        #expect(try world.cloud.proxy.stats().forwarded.contains("CONNECT \(Self.host):443"))
    }

    @Test func sourceKeysCheckGetAndPutWithoutARegion() throws {
        let world = try Self.world()
        let user = world.moto.user
        let source = world.source(["aws_access_key_id": user.accessKeyId, "aws_secret_access_key": user.secretAccessKey])
        let before = try world.api.calls().count
        let outputs = try world.cloud.roundTrip.run(
            source: source, environment: world.environment(), pushRepository: "\(Self.host)/ri-alias/pushed",
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
        expectOneLoginError(result, "cannot authenticate with ECR Public:", "InvalidSignatureException")
        #expect(!result.stderr.contains(wrong) && !result.stderr.contains(world.password))
    }
}
