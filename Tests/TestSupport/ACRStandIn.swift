import Foundation

/// `Tests/StandIns/azure/acr_standin.py`: a managed-identity endpoint and an
/// ACR front (challenge, `/oauth2/exchange`, token endpoint) before a real
/// TLS `TestRegistry`, recording the shape of every request.
public final class ACRStandIn: Sendable {
    public struct IdentityRequest: Decodable, Sendable {
        public let path: String
        public let query: [String: String]
        public let metadataHeader: String?
        public let identityHeaderPresent: Bool
    }

    public struct Exchange: Decodable, Sendable {
        public let grant_type: String?
        public let service: String?
        public let tenant: String?
        public let hostHeader: String
        public let contentType: String?
        public let accessTokenKnown: Bool
    }

    public struct TokenRequest: Decodable, Sendable {
        public let user: String?
        public let refreshTokenKnown: Bool
        public let service: String?
        public let scope: String?
    }

    public struct Stats: Decodable, Sendable {
        public let identity: [IdentityRequest]
        public let challenges: Int
        public let exchanges: [Exchange]
        public let tokens: [TokenRequest]
        public let forwarded: Int
        public let refused: [String]
        /// "identity", "challenge", "exchange", "token" in arrival order.
        public let events: [String]
        /// Every token handed out (Azure AD, refresh, access), to check none is printed.
        public let issued: [String]
    }

    /// `http://127.0.0.1:PORT` of the managed-identity endpoint.
    public var identityURL: String { launch.identityURL }
    /// The 127.0.0.1 port of the ACR front (HTTPS, the registry's certificate).
    public var frontPort: Int { launch.frontPort }
    /// The `IDENTITY_HEADER` value the App Service flavour expects.
    public var identityHeader: String { launch.identityHeader }

    private let helper: HelperProcess
    private let launch: Launch

    /// The line the script prints when it is ready.
    private struct Launch: Decodable, Sendable {
        let identityURL: String
        let frontPort: Int
        let identityHeader: String
    }

    public init(registry: TestRegistry, tenant: String, resource: String, clientID: String? = nil) throws {
        guard let ca = registry.caCertificatePath else { throw TestRegistryError.badLaunchInfo("ACR stand-in needs a TLS registry") }
        var arguments = [
            "--upstream", registry.baseURL.absoluteString, "--upstream-cacert", ca.path,
            "--tls-cert", registry.workDirectory.appendingPathComponent("server.crt").path,
            "--tls-key", registry.workDirectory.appendingPathComponent("server.key").path,
            "--tenant", tenant, "--resource", resource,
        ]
        if let clientID { arguments += ["--client-id", clientID] }
        helper = try HelperProcess(script: "azure/acr_standin.py", arguments: arguments)
        launch = try helper.decodeLaunchInfo(Launch.self)
    }

    public func stats() throws -> Stats { try helper.stats(Stats.self, from: identityURL) }

    public func stop() { helper.stop() }
}
