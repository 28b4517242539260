import Foundation

/// moto's server (IAM, STS, ECR emulation) with IAM authentication on, from
/// `Tests/StandIns/aws/moto_iam.py`: users, roles and policies are created
/// first, then signature and permission checking is switched on. One per
/// test process is enough (`shared`); tests count their own calls.
public final class MotoServer: Sendable {
    public struct Keys: Decodable, Sendable {
        public let accessKeyId: String
        public let secretAccessKey: String
        public let sessionToken: String?
    }

    private struct LaunchInfo: Decodable {
        let endpoint: String
        let account: String
        let region: String
        let users: [String: Keys]
        let roles: [String: String]
        let session: Keys
        let webIdentityToken: String
    }

    /// One call moto answered, as the wrapper recorded it.
    public struct Call: Decodable, Sendable {
        public let action: String?
        public let target: String?
        public let roleArn: String?
        public let roleSessionName: String?
        public let accessKeyId: String?
        public let sessionToken: Bool
        public let status: Int?
        /// AssumeRoleWithWebIdentity only: the token was the one issued; the call carried a signature.
        public let webIdentityTokenKnown: Bool?
        public let signed: Bool?
    }

    /// `http://127.0.0.1:PORT` — the value of `AWS_ENDPOINT_URL`.
    public let endpoint: String
    public let account: String
    public let region: String
    /// `ri-user`: may call ecr:GetAuthorizationToken.
    public let user: Keys
    /// `ri-chain-user`: may only assume `chainRoles[0]`.
    public let chainUser: Keys
    /// `ri-chain-a` (may only assume `ri-chain-b`), `ri-chain-b` (may call ECR).
    public let chainRoles: [String]
    /// Temporary credentials (with a session token) of role `ri-session`.
    public let session: Keys
    /// Every user's keys and every role's ARN, by name (see moto_iam.py).
    public let users: [String: Keys]
    public let roles: [String: String]
    /// The web identity token moto's wrapper accepts for AssumeRoleWithWebIdentity.
    public let webIdentityToken: String

    private let helper: HelperProcess
    private static let script = "aws/moto_iam.py"

    public init() throws {
        helper = try HelperProcess(script: Self.script, arguments: [], python: ExternalCommand.awsPython)
        let info = try helper.decodeLaunchInfo(LaunchInfo.self)
        guard let user = info.users["ri-user"], let chainUser = info.users["ri-chain-user"],
              let roleA = info.roles["ri-chain-a"], let roleB = info.roles["ri-chain-b"] else {
            helper.stop()
            throw HelperProcessError.badLaunchInfo(script: Self.script, line: String(decoding: helper.launchInfo, as: UTF8.self))
        }
        endpoint = info.endpoint
        account = info.account
        region = info.region
        self.user = user
        self.chainUser = chainUser
        chainRoles = [roleA, roleB]
        session = info.session
        users = info.users
        roles = info.roles
        webIdentityToken = info.webIdentityToken
    }

    /// The server of this test process, started on first use.
    public static func shared() throws -> MotoServer {
        try SharedMoto.instance.get()
    }

    /// Every call recorded so far (oldest first).
    public func calls() throws -> [Call] {
        let body = try ExternalCommand.check("curl", ["-sS", "--fail", endpoint + "/__calls"])
        return try JSONDecoder().decode([Call].self, from: body)
    }

    /// The ECR registry host moto's `proxyEndpoint` names.
    public var registryHost: String { "\(account).dkr.ecr.\(region).amazonaws.com" }

    /// ECR's password for this account (moto's `GetAuthorizationToken` answer).
    public var ecrPassword: String { "\(account)-auth-token" }

    public func stop() { helper.stop() }
}

/// Starts the shared moto server once (and reports the same failure to every
/// test if it cannot start).
private enum SharedMoto {
    static let instance: Result<MotoServer, any Error> = Result { try MotoServer() }
}
