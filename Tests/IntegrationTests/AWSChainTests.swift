import Foundation
import Testing
import TestSupport

/// The rest of the AWS SDKs' credential chain through the executable, for
/// ECR against moto with IAM auth (its world: `ECRTests.World`): web
/// identity, config-file profiles (role chains through `source_profile`,
/// `credential_source`, `web_identity_token_file`, `credential_process`) and
/// the IMDSv1 fallback.
@Suite("AWS credential chain (moto with IAM auth)", .serialized)
struct AWSChainTests {
    static func world() throws -> ECRTests.World { try ECRTests.World.shared.get() }

    /// This suite's own principals: `ri-profile-user` may assume `ri-profile-a`, which may assume
    /// `ri-profile-b`, which (like `ri-web`) may call ECR.
    static func principals(_ moto: MotoServer) throws -> (user: MotoServer.Keys, a: String, b: String, web: String) {
        (try #require(moto.users["ri-profile-user"]), try #require(moto.roles["ri-profile-a"]),
         try #require(moto.roles["ri-profile-b"]), try #require(moto.roles["ri-web"]))
    }

    /// A directory with the web identity token file.
    static func tokenFile(_ world: ECRTests.World) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory(prefix: "aws-web-identity")
        let path = directory.appending("token").path
        try Data(world.moto.webIdentityToken.utf8).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test func webIdentityFromTheEnvironment() throws {
        let world = try Self.world()
        let (directory, token) = try Self.tokenFile(world)
        let role = try Self.principals(world.moto).web
        let before = try world.moto.calls().count
        let outputs = try world.cloud.roundTrip.run(
            source: world.source(), environment: world.environment([
                "AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": role, "AWS_ROLE_SESSION_NAME": "ri-irsa",
            ]), pushRepository: "ri/web-identity", pushedName: "web identity")
        _ = directory
        let calls = try world.moto.calls().dropFirst(before).filter { $0.action == "AssumeRoleWithWebIdentity" }
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.roleArn == role && $0.roleSessionName == "ri-irsa" && $0.webIdentityTokenKnown == true
            && $0.signed == false && $0.status == 200 })
        for output in outputs { #expect(!output.contains(world.moto.webIdentityToken)) }
    }

    @Test func profileRoleChainThroughSourceProfiles() throws {
        let world = try Self.world()
        let directory = try TemporaryDirectory(prefix: "aws-profiles")
        let principals = try Self.principals(world.moto)
        let roles = [principals.a, principals.b]
        let config = directory.appending("config")
        try Data("""
            [default]
            region = us-east-1
            [profile ri]
            role_arn = \(roles[1])
            source_profile = ri-a
            role_session_name = ri-profile
            [profile ri-a]
            role_arn = \(roles[0])
            source_profile = ri-base

            """.utf8).write(to: config)
        let credentials = directory.appending("credentials")
        try Data("""
            [ri-base]
            aws_access_key_id = \(principals.user.accessKeyId)
            aws_secret_access_key = \(principals.user.secretAccessKey)

            """.utf8).write(to: credentials)
        let before = try world.moto.calls().count
        try world.cloud.roundTrip.run(
            source: world.source(), environment: world.environment([
                "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_PROFILE": "ri",
            ]), pushRepository: "ri/profile", pushedName: "profile")
        let assumed = try world.moto.calls().dropFirst(before).filter { $0.action == "AssumeRole" }
        #expect(assumed.map(\.roleArn) == Array(repeating: roles, count: 3).flatMap { $0 }, "a then b, in each of check, in, out")
        #expect(assumed.first?.accessKeyId == principals.user.accessKeyId)
        #expect(assumed.allSatisfy { $0.status == 200 })
    }

    @Test func credentialProcess() throws {
        let world = try Self.world()
        let directory = try TemporaryDirectory(prefix: "aws-process")
        let script = directory.appending("creds.sh")
        try Data("""
            #!/bin/sh
            echo "diagnostics the resource must not show" >&2
            printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' '\(world.moto.user.accessKeyId)' '\(world.moto.user.secretAccessKey)'

            """.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        let config = directory.appending("config")
        try Data("""
            [profile tool]
            credential_process = \(script.path) --flag

            """.utf8).write(to: config)
        let outputs = try world.cloud.roundTrip.run(
            source: world.source(), environment: world.environment(["AWS_CONFIG_FILE": config.path, "AWS_PROFILE": "tool"]),
            pushRepository: "ri/process", pushedName: "credential_process")
        for output in outputs {
            #expect(!output.contains(world.moto.user.secretAccessKey) && !output.contains("diagnostics the resource"))
        }

        // A failing process is one line naming the profile, nothing of its output.
        try Data("#!/bin/sh\necho secret-ish-output; exit 3\n".utf8).write(to: script)
        let failed = try ResourceRunner.run(["check"], request: ["source": world.source()],
                                          environment: world.environment(["AWS_CONFIG_FILE": config.path, "AWS_PROFILE": "tool"]))
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("cannot authenticate with ECR: credential_process of profile tool"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("secret-ish-output"))
    }

    @Test func profileWebIdentityAndCredentialSourceThenSourceRoles() throws {
        let world = try Self.world()
        let (directory, token) = try Self.tokenFile(world)
        let principals = try Self.principals(world.moto)
        let roles = [principals.a, principals.b]
        let config = directory.appending("config")
        try Data("""
            [profile wi]
            role_arn = \(roles[1])
            web_identity_token_file = \(token)
            [profile env]
            role_arn = \(roles[0])
            credential_source = Environment

            """.utf8).write(to: config)
        #expect(try world.checkDigests(world.source(), environment: ["AWS_CONFIG_FILE": config.path, "AWS_PROFILE": "wi"])
            == [world.cloud.image.manifestDigest])

        // credential_source Environment gives role a (AWS_PROFILE named explicitly, the environment's keys
        // are the profile's source, not the chain's answer, as in botocore and the JS SDK); aws_role_arns
        // then chain role b after it.
        let before = try world.moto.calls().count
        var source = world.source()
        source["aws_role_arns"] = [roles[1]]
        let user = principals.user
        #expect(try world.checkDigests(source, environment: [
            "AWS_CONFIG_FILE": config.path, "AWS_PROFILE": "env",
            "AWS_ACCESS_KEY_ID": user.accessKeyId, "AWS_SECRET_ACCESS_KEY": user.secretAccessKey,
        ]) == [world.cloud.image.manifestDigest])
        let assumed = try world.moto.calls().dropFirst(before).filter { $0.action == "AssumeRole" }
        #expect(assumed.map(\.roleArn) == roles && assumed.first?.accessKeyId == user.accessKeyId)
        #expect(assumed.allSatisfy { $0.status == 200 })
    }

    @Test func instanceMetadataV1WhenTheTokenIsRefused() throws {
        let world = try Self.world()
        let session = world.moto.session
        let imds = try MetadataStandIn(accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey,
                                       sessionToken: session.sessionToken ?? "", v1Only: true)
        defer { imds.stop() }
        let environment = ["AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.url]
        try world.cloud.roundTrip.run(source: world.source(), environment: world.environment(environment),
                                      pushRepository: "ri/imds-v1", pushedName: "imds v1")
        let stats = try imds.stats()
        #expect(stats.tokenPuts == 0 && stats.credentialGets == 3)
        #expect(stats.paths.filter { $0.hasPrefix("PUT") }.count == 3, "IMDSv2 tried first each time")

        // AWS_EC2_METADATA_V1_DISABLED=true: no fallback, one line.
        let refused = try ResourceRunner.run(["check"], request: ["source": world.source()], environment: world.environment(
            environment.merging(["AWS_EC2_METADATA_V1_DISABLED": "true"]) { $1 }))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("AWS_EC2_METADATA_V1_DISABLED") && refused.stderr.contains("HTTP 403"), "\(refused.stderr)")
        #expect(try imds.stats().credentialGets == 3)
    }
}
