import Glibc
import OCIModel

/// How a `RootfsWriter` writes entries.
public struct RootfsOptions: Sendable {
    /// Apply tar uid/gid (only root may). Default: running as root.
    public var preserveOwnership: Bool
    /// Never use openat2: resolve parents with the component-by-component
    /// walk that kernels before 5.6 and seccomp-filtered Concourse need.
    /// Default: environment `RI_FORCE_RESOLVE_FALLBACK=1`.
    public var forceResolveFallback: Bool

    public init(
        preserveOwnership: Bool = geteuid() == 0,
        forceResolveFallback: Bool = getenv("RI_FORCE_RESOLVE_FALLBACK").map { String(cString: $0) == "1" } ?? false
    ) {
        self.preserveOwnership = preserveOwnership
        self.forceResolveFallback = forceResolveFallback
    }
}
