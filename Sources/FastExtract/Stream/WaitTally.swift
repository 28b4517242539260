import Glibc
import OCIModel

/// Counts the times a thread blocked and the total time it spent blocked.
/// Only blocking waits are timed, so the fast path costs nothing.
public struct WaitTally: Sendable, CustomStringConvertible {
    public private(set) var count = 0
    public private(set) var nanoseconds: Int64 = 0

    mutating func add(since start: Int64) {
        count += 1
        nanoseconds += WaitClock.now() - start
    }

    public var seconds: Double { Double(nanoseconds) / 1e9 }
    public var description: String { "\(TextFormatting.fixed(seconds, decimals: 3)) s in \(count) waits" }
}

enum WaitClock {
    static func now() -> Int64 { nanoseconds(CLOCK_MONOTONIC) }

    /// CPU time of the calling thread.
    static func threadCPU() -> Int64 { nanoseconds(CLOCK_THREAD_CPUTIME_ID) }

    /// CPU time of the whole process, every thread.
    static func processCPU() -> Int64 { nanoseconds(CLOCK_PROCESS_CPUTIME_ID) }

    private static func nanoseconds(_ clock: clockid_t) -> Int64 {
        var now = timespec()
        clock_gettime(clock, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
