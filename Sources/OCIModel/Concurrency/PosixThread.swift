import CLinux
import Glibc

/// Starts detached POSIX threads (what Foundation's `Thread` did here, without
/// Foundation). Each thread this program starts runs C libraries and plain
/// Swift code with shallow recursion, so 1 MiB of stack (not the 8 MiB
/// default) is ample and keeps the address space small.
public enum PosixThread {
    public static let stackBytes = 1 << 20

    /// Runs `body` on a new detached thread named `name` (15 bytes at most are kept).
    public static func start(name: String, stackBytes: Int = stackBytes, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(ThreadBody(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackBytes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            let body = Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue()
            ri_name_this_thread(body.name)
            body.body()
            return nil
        }, context)
        // A program that cannot start a thread cannot go on (as Foundation's Thread).
        precondition(status == 0, "pthread_create failed: \(status)")
    }

    /// Sleeps the calling thread.
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var time = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&time, &left) != 0 && errno == EINTR { time = left }
    }
}

private final class ThreadBody {
    let name: String
    let body: @Sendable () -> Void
    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
