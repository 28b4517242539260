import Foundation

/// `Tests/StandIns/google/google_standin.py`: Google's token endpoint (JWT
/// bearer and refresh grants), STS token exchange, IAM impersonation, a URL
/// subject-token source and the metadata server, each checking requests as
/// Google does and handing out `accessToken`. The credentials files it wrote
/// (with Python's `cryptography`) are in `files`.
public final class GoogleStandIn: Sendable {
    public struct Files: Codable, Sendable {
        public let serviceAccount: String
        public let authorizedUser: String
        public let subjectToken: String
        public let externalFile: String
        public let externalURL: String
    }

    private struct LaunchInfo: Decodable {
        let url: String
        let metadataHost: String
        let email: String
        let files: Files
        let secrets: [String]
    }

    public struct Assertion: Decodable, Sendable {
        public let header: [String: String]
        public let claims: [String]
        public let lifetime: Int
        public let audIsTokenURI: Bool
    }

    public struct Exchange: Decodable, Sendable {
        public let audience: String?
        public let fields: [String]
        public let scope: String?
    }

    public struct Impersonation: Decodable, Sendable {
        public let email: String
        public let lifetime: String?
    }

    public struct Stats: Decodable, Sendable {
        public let assertions: [Assertion]
        public let refreshes: Int
        public let exchanges: [Exchange]
        public let impersonations: [Impersonation]
        public let metadata: Int
        public let subjects: Int
        public let refused: [String]
        /// Every token handed out, to check none is printed.
        public let issued: [String]
    }

    public let url: String
    /// `GCE_METADATA_HOST`.
    public let metadataHost: String
    public let email: String
    public let files: Files
    public let accessToken: String
    /// Key material and tokens that must never be printed.
    public let secrets: [String]
    /// The launch line, for the google-auth cross-check.
    public let launchInfo: String
    private let directory: TemporaryDirectory
    private let helper: HelperProcess
    private static let script = "google/google_standin.py"

    public init(accessToken: String) throws {
        directory = try TemporaryDirectory(prefix: "google-standin")
        self.accessToken = accessToken
        helper = try HelperProcess(script: Self.script, arguments: ["--dir", directory.path, "--access-token", accessToken],
                                   python: ExternalCommand.awsPython)
        let info = try helper.decodeLaunchInfo(LaunchInfo.self)
        url = info.url
        metadataHost = info.metadataHost
        email = info.email
        files = info.files
        secrets = info.secrets
        launchInfo = String(decoding: helper.launchInfo, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func stats() throws -> Stats {
        try helper.stats(Stats.self, from: url)
    }

    /// google-auth's verdict per flow (true, or its error text), from
    /// `google/google_auth_crosscheck.py`.
    public func googleAuthCrossCheck() throws -> [String: String] {
        let output = try ExternalCommand.check(ExternalCommand.awsPython, [
            TestPaths.standIns.appendingPathComponent("google/google_auth_crosscheck.py").path, launchInfo, accessToken,
        ])
        let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] ?? [:]
        return object.mapValues { ($0 as? Bool) == true ? "true" : "\($0)" }
    }

    public func stop() { helper.stop() }
}
