import Foundation

/// Where half-written results live: beside the result, hidden, and tagged
/// with the writer's pid (`DIR/.NAME.partial-PID`). A writer killed with
/// SIGKILL (a container torn down, the OOM killer) cannot clean up, so the
/// next writer of the same result removes the leftovers of writers that no
/// longer run before it starts — a live writer's staging is never touched.
///
/// "No longer runs" is judged in this process's pid namespace; two writers of
/// one destination in different containers at once are not supported anyway.
enum StagingName {
    static func path(for path: String, pid: pid_t = getpid()) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(pid)").path
    }

    /// Removes `DIR/.NAME.partial-PID` (and its `.removing` form, left by an
    /// interrupted signal cleanup) for every PID that is not running.
    static func removeStale(besides path: String) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent).partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            var rest = name.dropFirst(prefix.count)
            if rest.hasSuffix(".removing") { rest = rest.dropLast(".removing".count) }
            guard let pid = pid_t(rest), pid > 0, pid != getpid(), !isRunning(pid) else { continue }
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
