import Foundation
import Testing
import TestSupport

/// ECR login through the executable, against moto's server with IAM
/// authentication on (a request signed wrongly is refused, as by AWS). The
/// ECR registry name `<account>.dkr.ecr.<region>.amazonaws.com` is reached
/// through a forward proxy that resolves it to a local TLS docker-registry
/// with htpasswd user `AWS` and moto's ECR password.
@Suite("ECR login (moto with IAM auth)")
struct ECRTests {
    /// moto and the registry behind the ECR name.
    final class World: Sendable {
        let moto: MotoServer
        let cloud: CloudRegistry

        init() throws {
            moto = try MotoServer.shared()
            cloud = try CloudRegistry(host: moto.registryHost, auth: .basic, username: "AWS", password: moto.ecrPassword,
                                      repository: "ri/app", content: "from ECR\n")
        }

        static let shared: Result<World, any Error> = Result { try World() }

        /// Only what a test names: no ambient AWS settings, no instance metadata.
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            cloud.environment(CloudRegistry.noAmbientAWS.merging(["AWS_ENDPOINT_URL": moto.endpoint]) { $1 }, extra)
        }

        func source(_ extra: [String: Any] = [:]) -> [String: Any] {
            cloud.source(["repository": "ri/app", "aws_region": moto.region], extra)
        }

        /// Instance metadata (and the ECS endpoint) handing out moto's session keys.
        func metadataStandIn() throws -> MetadataStandIn {
            let session = moto.session
            return try MetadataStandIn(accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey,
                                       sessionToken: session.sessionToken ?? "")
        }

        func keys(_ keys: MotoServer.Keys) -> [String: Any] {
            var fields: [String: Any] = ["aws_access_key_id": keys.accessKeyId, "aws_secret_access_key": keys.secretAccessKey]
            if let token = keys.sessionToken { fields["aws_session_token"] = token }
            return fields
        }

        /// Runs `check` and returns the digests reported.
        func checkDigests(_ source: [String: Any], environment extra: [String: String] = [:]) throws -> [String] {
            let result = try ResourceRunner.run(["check"], request: ["source": source], environment: environment(extra))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let versions = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] ?? []
            return versions.compactMap { $0["digest"] as? String }
        }
    }

    static func world() throws -> World { try World.shared.get() }

    @Test func staticKeysCheckAndInRewriteTheRepository() throws {
        let world = try Self.world()
        // aws_account_id names the host; without it, GetAuthorizationToken's proxyEndpoint does.
        #expect(try world.checkDigests(world.source(world.keys(world.moto.user).merging(["aws_account_id": world.moto.account]) { $1 }))
            == [world.cloud.image.manifestDigest])

        let destination = try TemporaryDirectory(prefix: "ecr-in")
        let request = ResourceRunner.inRequest(repository: "ri/app", digest: world.cloud.image.manifestDigest,
                                             source: world.source(world.keys(world.moto.user)))
        let result = try ResourceRunner.run(["in", destination.path], request: request, environment: world.environment())
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let expected = "\(world.moto.registryHost)/ri/app"
        #expect(try String(contentsOf: destination.appending("repository"), encoding: .utf8) == expected)
        #expect(try String(contentsOf: destination.appending("rootfs/hello"), encoding: .utf8) == "from ECR\n")
        let metadata = try ResourceRunner.response(result)["metadata"] as? [[String: String]] ?? []
        #expect(metadata.first == ["name": "repository", "value": expected])
        #expect(try world.cloud.proxy.stats().forwarded.contains("CONNECT \(world.moto.registryHost):443"))
    }

    @Test func sessionTokenIsSignedAndSent() throws {
        let world = try Self.world()
        let session = world.moto.session
        #expect(try world.checkDigests(world.source(world.keys(session))) == [world.cloud.image.manifestDigest])
        let calls = try world.moto.calls().filter { $0.accessKeyId == session.accessKeyId }
        // (Other tests use these keys with a wrong secret; every call carries the token.)
        #expect(calls.contains { $0.status == 200 } && calls.allSatisfy(\.sessionToken))
    }

    @Test func roleChainOfTwoAssumesEachRoleOnceInOrder() throws {
        let world = try Self.world()
        let roles = world.moto.chainRoles
        var source = world.source(world.keys(world.moto.chainUser))
        source["aws_role_arns"] = roles
        #expect(try world.checkDigests(source) == [world.cloud.image.manifestDigest])
        let assumed = try world.moto.calls().filter { $0.action == "AssumeRole" && roles.contains($0.roleArn ?? "") }
        #expect(assumed.map(\.roleArn) == roles, "one AssumeRole per role, in order")
        #expect(assumed.first?.accessKeyId == world.moto.chainUser.accessKeyId, "the first with the source keys")
        #expect(assumed.last?.sessionToken == true, "the second with the first role's temporary credentials")
        #expect(assumed.allSatisfy { $0.status == 200 })

        // The chain user alone may not call ECR: the roles are what made it work.
        let alone = try ResourceRunner.run(["check"], request: ["source": world.source(world.keys(world.moto.chainUser))],
                                         environment: world.environment())
        #expect(alone.status == 1)
        #expect(alone.stderr.contains("cannot authenticate with ECR") && alone.stderr.contains("AccessDenied"), "\(alone.stderr)")
    }

    @Test func bothRoleFieldsFailBeforeAnyAWSRequest() throws {
        let world = try Self.world()
        // A recording server stands in for every AWS endpoint: it must hear nothing.
        let recorder = try MetadataStandIn(accessKeyId: "x", secretAccessKey: "y", sessionToken: "z")
        defer { recorder.stop() }
        var source = world.source(world.keys(world.moto.user))
        source["aws_role_arn"] = world.moto.chainRoles[0]
        source["aws_role_arns"] = world.moto.chainRoles
        let result = try ResourceRunner.run(["check"], request: ["source": source], environment: world.environment([
            "AWS_ENDPOINT_URL": recorder.url, "AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": recorder.url,
        ]))
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("`aws_role_arn` cannot be set at the same time as `aws_role_arns`"), "\(result.stderr)")
        #expect(try recorder.stats().paths.filter { !$0.hasSuffix("/__stats") }.isEmpty)
    }

    @Test func credentialsFromTheEnvironment() throws {
        let world = try Self.world()
        let user = world.moto.user
        #expect(try world.checkDigests(world.source(), environment: [
            "AWS_ACCESS_KEY_ID": user.accessKeyId, "AWS_SECRET_ACCESS_KEY": user.secretAccessKey,
        ]) == [world.cloud.image.manifestDigest])
    }

    @Test func credentialsFromTheSharedFileProfile() throws {
        let world = try Self.world()
        let directory = try TemporaryDirectory(prefix: "aws-shared")
        let file = directory.appending("credentials")
        try Data("""
            [default]
            aws_access_key_id = AKIAWRONGWRONGWRONG0
            aws_secret_access_key = wrong
            [ri]
            aws_access_key_id = \(world.moto.user.accessKeyId)
            aws_secret_access_key = \(world.moto.user.secretAccessKey)

            """.utf8).write(to: file)
        #expect(try world.checkDigests(world.source(), environment: [
            "AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_PROFILE": "ri",
        ]) == [world.cloud.image.manifestDigest])
    }

    @Test func instanceProfileCredentialsOverIMDSv2() throws {
        let world = try Self.world()
        let imds = try world.metadataStandIn()
        defer { imds.stop() }
        #expect(try world.checkDigests(world.source(), environment: [
            "AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url,
        ]) == [world.cloud.image.manifestDigest])
        let stats = try imds.stats()
        #expect(stats.tokenPuts >= 1 && stats.roleLookups >= 1 && stats.credentialGets == 1)
        #expect(stats.refused == 0, "every request carried the session token: \(stats.paths)")

        // The stand-in is IMDSv2-only: a GET without the token is refused.
        let v1 = try ExternalCommand.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}",
                                                  imds.url + "/latest/meta-data/iam/security-credentials/"])
        #expect(v1.stdoutString == "401")
    }

    @Test func containerCredentials() throws {
        let world = try Self.world()
        let ecs = try world.metadataStandIn()
        defer { ecs.stop() }
        #expect(try world.checkDigests(world.source(), environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": ecs.containerCredentialsURL,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": ecs.containerAuthorization,
        ]) == [world.cloud.image.manifestDigest])
        #expect(try ecs.stats().ecsGets == 1)
    }

    @Test func wrongSecretIsOneClearErrorWithoutSecrets() throws {
        let world = try Self.world()
        let session = world.moto.session
        let wrongSecret = "Wr0ngSecretWr0ngSecretWr0ngSecretWr0ngSe"
        var source = world.source(["aws_access_key_id": session.accessKeyId, "aws_secret_access_key": wrongSecret,
                                   "aws_session_token": session.sessionToken ?? ""])
        source["debug"] = true
        let result = try ResourceRunner.run(["check"], request: ["source": source], environment: world.environment())
        expectOneLoginError(result, "cannot authenticate with ECR", "SignatureDoesNotMatch")
        #expect(result.stdout.isEmpty)
        for secret in [wrongSecret, session.secretAccessKey, session.sessionToken ?? "-", world.moto.ecrPassword] {
            #expect(!result.stderr.contains(secret), "a secret leaked into stderr")
        }
    }

    @Test func debugOutputOfASuccessfulLoginHoldsNoSecret() throws {
        let world = try Self.world()
        let session = world.moto.session
        var source = world.source(world.keys(session))
        source["debug"] = true
        let result = try ResourceRunner.run(["check"], request: ["source": source], environment: world.environment())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("authenticated to ECR"))
        for secret in [session.secretAccessKey, session.sessionToken ?? "-", world.moto.ecrPassword] {
            #expect(!result.stderr.contains(secret) && !result.stdoutString.contains(secret))
        }
    }

    @Test func deprecatedRegistryIDIsAcceptedWithUpstreamsWarning() throws {
        let world = try Self.world()
        var source = world.source(world.keys(world.moto.user))
        source["aws_ecr_registry_id"] = world.moto.account
        let result = try ResourceRunner.run(["check"], request: ["source": source], environment: world.environment())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("aws_ecr_registry_id is no longer required"))
    }

    @Test func outPushesToECR() throws {
        let world = try Self.world()
        let layout = try buildFixture(ImageSpec(tag: "latest", layers: [LayerSpec([.file("pushed", "to ECR\n")])]))
        let work = try TemporaryDirectory(prefix: "ecr-out")
        try FileManager.default.copyItem(at: layout.url, to: work.appending("image"))
        var source = world.source(world.keys(world.moto.user))
        source["repository"] = "ri/pushed"
        source["tag"] = "v2"
        let result = try ResourceRunner.run(["out", work.path], request: ["source": source, "params": ["image": "image"]],
                                          environment: world.environment())
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let response = try ResourceRunner.response(result)
        let digest = try #require((response["version"] as? [String: String])?["digest"])
        let metadata = response["metadata"] as? [[String: String]] ?? []
        #expect(metadata.first == ["name": "repository", "value": "\(world.moto.registryHost)/ri/pushed"])
        // What the registry behind the ECR name now holds, read by skopeo.
        let raw = try skopeoInspect(world.cloud.registry, repository: "ri/pushed", reference: "v2", raw: true)
        #expect(try ExternalDigest.sha256(raw) == digest)
    }
}
