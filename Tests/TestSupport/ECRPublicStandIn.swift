import Foundation

/// `Tests/StandIns/aws/ecr_public_standin.py`: ECR Public's
/// `GetAuthorizationToken`, checking each request's SigV4 signature with
/// botocore's signer and the secrets of the keys it was given.
public final class ECRPublicStandIn: Sendable {
    private struct LaunchInfo: Decodable { let url: String }

    public struct Call: Decodable, Sendable {
        public let target: String?
        public let accessKeyId: String?
        public let region: String?
        public let service: String?
        public let sessionToken: Bool
        public let status: Int?
        public let error: String?
    }

    private struct Stats: Decodable { let calls: [Call] }

    /// `AWS_ENDPOINT_URL_ECR_PUBLIC`.
    public let url: String
    private let helper: HelperProcess
    private static let script = "aws/ecr_public_standin.py"

    public init(keys: [MotoServer.Keys], password: String) throws {
        helper = try HelperProcess(
            script: Self.script,
            arguments: keys.flatMap { ["--key", "\($0.accessKeyId)=\($0.secretAccessKey)"] } + ["--password", password],
            python: ExternalCommand.awsPython)
        url = try helper.decodeLaunchInfo(LaunchInfo.self).url
    }

    public func calls() throws -> [Call] {
        try helper.stats(Stats.self, from: url).calls
    }

    public func stop() { helper.stop() }
}
