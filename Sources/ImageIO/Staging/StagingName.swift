import FoundationEssentials
import Glibc
import Synchronization

/// The one naming rule for results under construction: a hidden sibling
/// `.<name>.partial-<pid>[-<n>]`, so nothing half-written is ever mistaken
/// for a result, and a leftover can be traced to the process that made it.
///
/// A writer killed with SIGKILL (a container torn down, the OOM killer)
/// cannot clean up, so the next writer of the same result removes the
/// leftovers of writers that no longer run before it starts — a live
/// writer's staging is never touched. "No longer runs" is judged in this
/// process's pid namespace; two writers of one destination in different
/// containers at once are not supported anyway.
enum StagingName {
    private static let counter = Atomic<Int>(0)

    static func sibling(of path: String, unique: Bool) -> String {
        let url = URL(fileURLWithPath: path)
        var name = ".\(url.lastPathComponent).partial-\(getpid())"
        if unique { name += "-\(counter.add(1, ordering: .relaxed).newValue)" }
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Removes `DIR/.NAME.partial-PID[-N]` (and the `.removing` form an
    /// interrupted signal cleanup leaves) for every PID that is not running.
    static func removeStale(besides path: String) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent).partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
            let rest = name.dropFirst(prefix.count + digits.count)
            guard rest.isEmpty || rest.hasPrefix("-") || rest == ".removing",
                  let pid = pid_t(digits), pid > 0, pid != getpid(), !isRunning(pid) else { continue }
            TreeRemoval.remove(directory + "/" + name)
        }
    }

    private static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }
}

/// Removes a tree whatever modes it holds: a rootfs may contain read-only
/// directories (0555) that only root could empty as they are.
enum TreeRemoval {
    static func remove(_ path: String) {
        if (try? FileManager.default.removeItem(atPath: path)) != nil { return }
        makeWritable(path)
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func makeWritable(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        chmod(path, (info.st_mode & 0o7777) | 0o700)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            makeWritable(path + "/" + name)
        }
    }
}
