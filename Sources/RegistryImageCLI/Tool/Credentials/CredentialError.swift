import FoundationEssentials

/// Why credentials could not be read, stored or removed. Never carries a
/// password or token.
public enum CredentialError: Error, Equatable, CustomStringConvertible {
    case unreadableFile(String, reason: String)
    case unwritableFile(String, reason: String)
    case malformedEntry(String, path: String)
    case helperNotFound(String)
    case helperFailed(String, operation: String, message: String)
    case helperOutput(String, reason: String)
    case notLoggedIn(String, path: String)
    case missingUsername
    case missingPassword
    case invalidHost(String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "cannot read auth file \(path): \(reason)"
        case .unwritableFile(let path, let reason): "cannot write auth file \(path): \(reason)"
        case .malformedEntry(let key, let path): "the \"auth\" entry for \(key) in \(path) is not base64 of user:password"
        case .helperNotFound(let name): "credential helper docker-credential-\(name) not found in PATH"
        case .helperFailed(let name, let operation, let message):
            "docker-credential-\(name) \(operation) failed: \(message)"
        case .helperOutput(let name, let reason): "docker-credential-\(name) get printed \(reason)"
        case .notLoggedIn(let key, let path): "not logged in to \(key) (no entry in \(path))"
        case .missingUsername: "no user name: give --username or set REGISTRY_USERNAME"
        case .missingPassword: "no password: give --password-stdin (or set REGISTRY_PASSWORD)"
        case .invalidHost(let text): "'\(text)' is not a registry host"
        }
    }
}
