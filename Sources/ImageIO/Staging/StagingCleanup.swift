import Dispatch
import FoundationEssentials
import Glibc
import OCIModel

/// Removes half-written results when the process is told to stop (Concourse
/// sends SIGTERM when a build is aborted), so an interrupted `in` leaves no
/// rootfs or layout behind that could pass for a complete one.
/// `@unchecked`: `paths` and `sources` are only touched under `lock`;
/// `creation` only serialises creation against removal.
public final class StagingCleanup: @unchecked Sendable {
    public static let shared = StagingCleanup()

    private let lock = PosixLock()
    /// Held while a staged result is being created, and by the signal
    /// handler from the start of its removal until the process exits.
    private let creation = PosixLock()
    private var paths: Set<String> = []
    private var sources: [any DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "registry-image.signals")

    private init() {}

    public func register(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if sources.isEmpty { installHandlers() }
        paths.insert(path)
    }

    /// Runs `body` (creating a staged result and what writes into it) so that
    /// a signal's removal happens wholly before or wholly after it: a
    /// writer's `mkdir -p` can never bring back a directory just removed.
    public func creating<Result>(_ body: () throws -> Result) rethrows -> Result {
        creation.lock()
        defer { creation.unlock() }
        return try body()
    }

    public func unregister(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.remove(path)
    }

    private func installHandlers() {
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in
                self?.removeAll()
                StandardStream.writeError("error: interrupted by signal \(signalNumber)\n")
                _exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The fetch is still running on other threads while this runs, and may
    /// create entries under a path as it is being removed. Renaming it first
    /// makes path-based writers fail; the removal is retried until the path
    /// is gone (bounded), so nothing is left behind.
    private func removeAll() {
        creation.lock()  // never released: the process exits next
        lock.lock()
        let pending = paths
        lock.unlock()
        for path in pending {
            let doomed = path + ".removing"
            let target = rename(path, doomed) == 0 ? doomed : path
            for _ in 0..<50 where FileManager.default.fileExists(atPath: target) {
                TreeRemoval.remove(target)
            }
        }
    }
}
