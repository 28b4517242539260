import OCIModel

/// Why a registry operation failed, as one line a pipeline author can act on.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidReference(String, reason: String)
    /// 401 after credentials (or a fresh token) were tried; `message` is the registry's.
    case unauthorized(registry: String, message: String)
    /// 404: the manifest, blob or repository does not exist.
    case notFound(what: String, message: String)
    /// Any other status that is not retried, with the registry's error message.
    case httpStatus(status: Int, url: String, message: String)
    /// No HTTP response: curl's error text.
    case transport(url: String, message: String)
    /// Certificate or handshake failure; never a reason to fall back to http.
    case tls(url: String, message: String)
    case tooManyRetries(attempts: Int, lastCause: String)
    /// The registry answered something the protocol does not allow.
    case invalidResponse(url: String, reason: String)
    /// A dropped blob download could not continue where it stopped; a restart
    /// would need a fresh consumer.
    case resumeRefused(Digest, offset: Int64, reason: String)
    case invalidCACertificate(index: Int)

    public var description: String {
        switch self {
        case .invalidReference(let text, let reason):
            "invalid image reference '\(text)': \(reason)"
        case .unauthorized(let registry, let message):
            "unauthorized at \(registry): \(message)"
        case .notFound(let what, let message):
            "\(what) not found: \(message)"
        case .httpStatus(let status, let url, let message):
            "\(url) answered HTTP \(status): \(message)"
        case .transport(let url, let message):
            "cannot reach \(url): \(message)"
        case .tls(let url, let message):
            "TLS failure for \(url): \(message) (add the registry's CA to ca_certs, or set insecure: true)"
        case .tooManyRetries(let attempts, let lastCause):
            "giving up after \(attempts) attempts: \(lastCause)"
        case .invalidResponse(let url, let reason):
            "invalid response from \(url): \(reason)"
        case .resumeRefused(let digest, let offset, let reason):
            "download of \(digest) dropped at byte \(offset) and cannot resume: \(reason)"
        case .invalidCACertificate(let index):
            "ca_certs entry \(index + 1) is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
        }
    }
}
