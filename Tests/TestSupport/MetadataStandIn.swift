import Foundation

/// `Tests/StandIns/aws/metadata_standin.py`: an IMDSv2-only instance metadata
/// service and an ECS credentials endpoint, handing out the given keys.
public final class MetadataStandIn: Sendable {
    public struct Stats: Decodable, Sendable {
        public let tokenPuts: Int
        public let roleLookups: Int
        public let credentialGets: Int
        public let refused: Int
        public let ecsGets: Int
        public let paths: [String]
    }

    /// `http://127.0.0.1:PORT`: `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
    public var url: String { launch.url }
    public var role: String { launch.role }
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` for the ECS flavour.
    public var containerCredentialsURL: String { url + "/ecs/credentials" }
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN` it expects.
    public var containerAuthorization: String { launch.ecsAuthorization }

    private let helper: HelperProcess
    private let launch: Launch

    /// The line the script prints when it is ready.
    private struct Launch: Decodable, Sendable {
        let url: String
        let role: String
        let ecsAuthorization: String
    }

    /// `v1Only`: the token PUT is refused (403) and GETs need no token.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, v1Only: Bool = false) throws {
        helper = try HelperProcess(script: "aws/metadata_standin.py", arguments: [
            "--access-key-id", accessKeyId, "--secret-access-key", secretAccessKey, "--session-token", sessionToken,
        ] + (v1Only ? ["--v1-only"] : []))
        launch = try helper.decodeLaunchInfo(Launch.self)
    }

    public func stats() throws -> Stats { try helper.stats(Stats.self, from: url) }

    public func stop() { helper.stop() }
}
