import FoundationEssentials

/// Settings shared by the human commands (pull, push, tags, inspect, copy).
public struct ToolSettings: Sendable {
    /// From flags or REGISTRY_USERNAME / REGISTRY_PASSWORD; when either is
    /// set, the auth files are not consulted.
    public var username: String?
    public var password: String?
    public var insecure: Bool
    public var caCertificatesPEM: [String]
    public var debug: Bool
    /// `--authfile`: the one auth file to read (else the usual search).
    public var authFile: String?

    public var credentialStore: CredentialStore {
        CredentialStore(locations: AuthFileLocations(authFile: authFile, environment: ProcessInfo.processInfo.environment))
    }
}
