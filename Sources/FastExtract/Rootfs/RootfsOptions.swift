import CLinux
import Glibc

/// How a `RootfsWriter` writes entries.
public struct RootfsOptions: Sendable {
    /// Apply tar uid/gid (only root may). Default: running as root.
    public var preserveOwnership: Bool
    /// Never use openat2: resolve parents with the component-by-component
    /// walk that kernels before 5.6 and seccomp-filtered Concourse need.
    /// Default: environment `RI_FORCE_RESOLVE_FALLBACK=1`.
    public var forceResolveFallback: Bool
    /// Threads that write files, the extraction thread included; 1 writes
    /// every entry inline (see `WriterPool`). Default: environment
    /// `RI_WRITERS` (1 to 64), else the CPUs this process may use (at most
    /// 16) when there are 3 or more, else 1: on 2 CPUs receiving, decoding
    /// and hashing already take the second one, and the pool was measured to
    /// lose there under load (Benchmarks/pool.sh).
    public var writers: Int

    public init(
        preserveOwnership: Bool = geteuid() == 0,
        forceResolveFallback: Bool = getenv("RI_FORCE_RESOLVE_FALLBACK").map { String(cString: $0) == "1" } ?? false,
        writers: Int = RootfsOptions.defaultWriters
    ) {
        self.preserveOwnership = preserveOwnership
        self.forceResolveFallback = forceResolveFallback
        self.writers = min(64, max(1, writers))
    }

    public static var defaultWriters: Int {
        if let value = getenv("RI_WRITERS").flatMap({ Int(String(cString: $0)) }), value >= 1 { return value }
        let cpus = Int(ri_available_cpus())
        return cpus >= 3 ? min(16, cpus) : 1
    }
}
