import Glibc

/// A lock with one condition variable (what `NSCondition` is, without
/// Foundation): `wait` must be called with the lock held.
/// `@unchecked`: the mutex and condition variable are what make it safe.
public final class PosixCondition: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        // Deadlines are measured on the monotonic clock: a wall-clock step
        // must not cut a wait short or stretch it.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }
    public func signal() { pthread_cond_signal(condition) }
    public func broadcast() { pthread_cond_broadcast(condition) }

    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits at most until `deadline`; false when the deadline passed first.
    @discardableResult
    public func wait(until deadline: MonotonicInstant) -> Bool {
        var time = timespec(tv_sec: Int(deadline.nanoseconds / 1_000_000_000),
                            tv_nsec: Int(deadline.nanoseconds % 1_000_000_000))
        return pthread_cond_timedwait(condition, mutex, &time) == 0
    }

    /// Waits at most `seconds`; false when the time ran out first.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        wait(until: MonotonicInstant.now().advanced(bySeconds: seconds))
    }
}

/// A point on the monotonic clock (`CLOCK_MONOTONIC`), in nanoseconds.
public struct MonotonicInstant: Comparable, Sendable {
    public let nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func now() -> MonotonicInstant {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return MonotonicInstant(nanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    public func advanced(bySeconds seconds: Double) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: nanoseconds + Int64((max(0, seconds) * 1e9).rounded()))
    }

    /// Seconds from now until this instant (negative when it has passed).
    public var secondsFromNow: Double { Double(nanoseconds - MonotonicInstant.now().nanoseconds) / 1e9 }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
