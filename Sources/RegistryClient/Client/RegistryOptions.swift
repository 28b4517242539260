import FoundationEssentials

/// How to talk to one registry.
public struct RegistryOptions: Sendable {
    public var credentials: RegistryCredentials?
    /// Allow plain http and unverified TLS for this registry.
    public var insecure: Bool
    /// Extra trust anchors, added to the system bundle.
    public var caCertificatesPEM: [String]
    public var connectTimeout: Duration
    /// A transfer receiving nothing for this long is dropped (and retried).
    public var stallTimeout: Duration
    public var retry: RetryPolicy

    public init(credentials: RegistryCredentials? = nil, insecure: Bool = false, caCertificatesPEM: [String] = [],
                connectTimeout: Duration = .seconds(30), stallTimeout: Duration = RegistryOptions.defaultStallTimeout,
                retry: RetryPolicy = RetryPolicy()) {
        self.credentials = credentials
        self.insecure = insecure
        self.caCertificatesPEM = caCertificatesPEM
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.retry = retry
    }

    /// 60 s, or `RI_STALL_TIMEOUT_MS` when set (tests shorten it). Checked
    /// about once a second, so it fires within a second after.
    public static var defaultStallTimeout: Duration {
        if let text = ProcessInfo.processInfo.environment["RI_STALL_TIMEOUT_MS"], let ms = Int(text), ms > 0 {
            return .milliseconds(ms)
        }
        return .seconds(60)
    }
}
