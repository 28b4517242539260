import FoundationEssentials
import Glibc
import OCIModel

/// Threads that create small regular files while the extraction thread goes
/// on with the next entries (file creation is kernel time, and one thread is
/// the bound on many-core machines).
///
/// The extraction thread alone decides and orders: it hands over only a file
/// whose name does not exist yet, into a parent directory it holds open, with
/// the data copied here; and it waits for every handed-over file
/// (`waitIdle`) before anything that could see or touch one (the rules are in
/// RootfsWriter+Pool). Memory is bounded: at most `maxBytes` of copied data
/// and `maxJobs` files wait at once; when full, `submit` refuses and the
/// caller writes the file itself.
final class WriterPool: @unchecked Sendable {  // mutable state is only touched under `condition`
    static let maxFileSize = 16 << 10
    static let maxBytes = 1 << 20
    static let maxJobs = 256
    /// Jobs a worker takes per lock.
    static let batch = 16

    /// One file to create: `bytes` holds the entry path, a NUL, then the data.
    struct Job: Sendable {
        let parentFD: Int32
        let bytes: [UInt8]
        let nameStart: Int
        let pathLength: Int
        let mode: mode_t
        let setsMode: Bool
        let atime, mtime: timespec
        let sequence: Int

        var dataCount: Int { bytes.count - pathLength - 1 }
    }

    /// The first failed file, in entry order.
    struct Failure: Sendable {
        let sequence: Int
        let path: String
        let error: Errno
    }

    private let workers: Int
    private let condition = PosixCondition()
    private var queue: [Job] = []
    private var head = 0
    private var queuedBytes = 0
    /// Queued plus being written.
    private var outstanding = 0
    /// Worker threads started, and those not yet exited (`stop` waits for 0).
    private var started = 0, running = 0
    /// Workers waiting for a job: only these need a wake-up.
    private var idle = 0
    private var stopping = false
    private var failure: Failure?

    init(workers: Int) {
        self.workers = max(1, workers)
        queue.reserveCapacity(Self.maxJobs)
    }

    /// Queues `job`; false (nothing queued) when the pool is full.
    func submit(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard outstanding < Self.maxJobs && queuedBytes + job.dataCount <= Self.maxBytes else { return false }
        if started < workers && started <= outstanding { startWorker() }
        queue.append(job)
        queuedBytes += job.dataCount
        outstanding += 1
        // A worker is woken for a batch, not for each file: a wake-up costs
        // about what a small file does.
        if idle > 0 && queue.count - head >= Self.batch { condition.signal() }
        return true
    }

    /// Returns once every submitted file is written (or failed).
    func waitIdle() {
        condition.lock()
        if idle > 0 && head < queue.count { condition.broadcast() }  // a last, partial batch
        while outstanding > 0 { condition.wait() }
        condition.unlock()
    }

    /// The first failure so far, without waiting.
    var firstFailure: Failure? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Waits for the queued files, then ends and joins the threads.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 || outstanding > 0 { condition.wait() }
        condition.unlock()
    }

    // MARK: Workers

    /// Called under the lock.
    private func startWorker() {
        started += 1
        running += 1
        PosixThread.start(name: "rootfs-writer") { [self] in work() }
    }

    private func work() {
        var jobs: [Job] = []
        jobs.reserveCapacity(Self.batch)
        condition.lock()
        while true {
            while head == queue.count && !stopping {
                idle += 1
                condition.wait()
                idle -= 1
            }
            if head == queue.count { break }
            let end = min(queue.count, head + Self.batch)
            jobs.append(contentsOf: queue[head..<end])
            head = end
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            let skip = failure != nil  // the layer fails anyway: write no more
            condition.unlock()
            var failed: Failure?
            var bytes = 0
            for job in jobs {
                bytes += job.dataCount
                if !skip && failed == nil { failed = Self.write(job) }
            }
            let count = jobs.count
            jobs.removeAll(keepingCapacity: true)
            condition.lock()
            if let failed, failure.map({ failed.sequence < $0.sequence }) ?? true { failure = failed }
            queuedBytes -= bytes
            outstanding -= count
            if outstanding == 0 { condition.broadcast() }
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Creates the file exclusively (its name was checked absent and is not
    /// reused while queued), writes the data, mode and times. Also used inline.
    static func write(_ job: Job) -> Failure? {
        job.bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let name = UnsafeRawPointer(base + job.nameStart).assumingMemoryBound(to: CChar.self)
            do throws(Errno) {
                let fd = try RegularFile.create(name, in: job.parentFD, mode: job.mode)
                defer { close(fd) }
                try RegularFile.writeAll(fd, UnsafeRawBufferPointer(start: base + job.pathLength + 1, count: job.dataCount))
                if job.setsMode { try RegularFile.setMode(fd, job.mode) }
                try RegularFile.setTimes(fd, atime: job.atime, mtime: job.mtime)
                return nil
            } catch {
                return Failure(sequence: job.sequence, path: String(decoding: buffer[0..<job.pathLength], as: UTF8.self),
                               error: error)
            }
        }
    }
}
