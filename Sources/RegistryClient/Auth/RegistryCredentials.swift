
/// A username and password for a registry (or its token service).
public struct RegistryCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Never shows the password, so credentials can be logged by accident safely.
    public var description: String { "RegistryCredentials(username: \(username), password: <redacted>)" }
    public var debugDescription: String { description }
}
