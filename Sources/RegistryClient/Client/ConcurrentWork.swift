import Dispatch
import FoundationEssentials
import OCIModel

/// Runs a job per element on a few plain threads (the libraries underneath
/// block, so threads, not tasks), answers in input order. The first failure
/// in time wins: no element starts after it, jobs still running can see it
/// through `isCancelled` and stop early, and their errors (usually
/// consequences of the cancellation) are dropped. With `width` 1 every job
/// runs on the calling thread, one after the other.
public enum ConcurrentWork {
    public static func map<Element, Result>(
        _ elements: [Element], width: Int, _ job: @escaping (Element, CancellationFlag) throws -> Result
    ) throws -> [Result] {
        guard !elements.isEmpty else { return [] }
        let work = IndexedWork<Result>(count: elements.count)
        let threads = min(max(width, 1), elements.count)
        // Shared by the worker threads: callers of `map` hand in jobs that
        // may run concurrently (that is what they asked for); the elements are only read.
        let run = SendableBox { [work] in
            while let index = work.claim() {
                do { work.store(try job(elements[index], work.flag), at: index) } catch { work.fail(error) }
            }
        }
        if threads == 1 {
            run.value()
        } else {
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                PosixThread.start(name: "concurrent-work") {
                    defer { group.leave() }
                    run.value()
                }
            }
            group.wait()
        }
        return try work.results()
    }
}

/// Set once a job of a `ConcurrentWork.map` failed; the others check it.
/// `@unchecked`: one atomic-like flag behind a lock.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = PosixLock()
    private var raised = false

    public init() {}

    public var isCancelled: Bool { lock.withLock { raised } }

    func raise() { lock.withLock { raised = true } }
}

/// The error a job throws when it stops because another one failed.
public struct WorkCancelled: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "stopped because another transfer failed" }
}

/// Hands out indices to worker threads and gathers their results.
/// `@unchecked`: every field is read and written under `lock`.
final class IndexedWork<Result>: @unchecked Sendable {
    private let lock = PosixLock()
    private var next = 0
    private var slots: [Result?]
    private var firstError: (any Error)?
    let flag = CancellationFlag()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next index to work on; nil when done or after any failure.
    func claim() -> Int? {
        lock.withLock {
            guard firstError == nil, next < slots.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func store(_ result: Result, at index: Int) { lock.withLock { slots[index] = result } }

    func fail(_ error: any Error) {
        let first = lock.withLock {
            guard firstError == nil else { return false }
            firstError = error
            return true
        }
        if first { flag.raise() }
    }

    func results() throws -> [Result] {
        try lock.withLock {
            if let firstError { throw firstError }
            return try slots.map { slot in
                guard let slot else { throw RegistryError.invalidResponse(url: "", reason: "a concurrent job did not finish") }
                return slot
            }
        }
    }
}
