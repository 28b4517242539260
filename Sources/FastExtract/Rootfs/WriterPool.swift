import Foundation
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
/// and `maxJobs` files wait at once; when full, the caller writes inline.
final class WriterPool: @unchecked Sendable {  // mutable state is only touched under `condition`
    static let maxFileSize = 128 << 10
    static let maxBytes = 4 << 20
    static let maxJobs = 1024

    /// One file to create: `bytes` holds the entry path, a NUL, then the data.
    struct Job: Sendable {
        let parentFD: Int32
        let bytes: [UInt8]
        let nameStart: Int
        let pathLength: Int
        let mode: mode_t
        let setsMode: Bool
        let atime: timespec
        let mtime: timespec
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
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var head = 0
    private var queuedBytes = 0
    /// Queued plus being written.
    private var outstanding = 0
    private var started = 0
    private var running = 0
    private var stopping = false
    private var failure: Failure?

    init(workers: Int) {
        self.workers = max(1, workers)
        queue.reserveCapacity(Self.maxJobs)
    }

    /// Whether a file of `count` bytes can be queued now (only the caller
    /// queues, so the answer holds until its next `submit`).
    func hasRoom(for count: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return outstanding < Self.maxJobs && queuedBytes + count <= Self.maxBytes
    }

    func submit(_ job: Job) {
        condition.lock()
        if started < workers && started <= outstanding { startWorker() }
        queue.append(job)
        queuedBytes += job.dataCount
        outstanding += 1
        condition.signal()
        condition.unlock()
    }

    /// Returns once every submitted file is written (or failed).
    func waitIdle() {
        condition.lock()
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
        let thread = Thread { [self] in work() }
        thread.name = "rootfs-writer"
        thread.start()
    }

    private func work() {
        condition.lock()
        while true {
            while head == queue.count && !stopping { condition.wait() }
            if head == queue.count { break }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            let skip = failure != nil  // the layer fails anyway: write no more
            condition.unlock()
            let failed = skip ? nil : Self.write(job)
            condition.lock()
            if let failed, failure.map({ failed.sequence < $0.sequence }) ?? true { failure = failed }
            queuedBytes -= job.dataCount
            outstanding -= 1
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
