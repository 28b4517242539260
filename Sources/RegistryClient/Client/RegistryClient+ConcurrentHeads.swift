import Dispatch
import Foundation
import OCIModel

extension RegistryClient {
    /// `headManifest` for many references at once, answers in input order.
    public func headManifests(_ references: [String], concurrency: Int = 8) throws -> [Descriptor?] {
        try concurrentMap(references, concurrency: concurrency) { [self] in try headManifest($0) }
    }

    /// `transform` applied to every element on up to `concurrency` plain
    /// threads, answers in input order; the first error by input position
    /// wins and stops further work. The registry is probed and the pull token
    /// fetched first, once, not once per thread. Each thread's requests borrow
    /// pooled libcurl handles, so connections are reused.
    public func concurrentMap<Element: Sendable, Result: Sendable>(
        _ elements: [Element], concurrency: Int = 8, _ transform: @escaping @Sendable (Element) throws -> Result
    ) throws -> [Result] {
        guard !elements.isEmpty else { return [] }
        try prepare()
        let work = IndexedWork<Result>(count: elements.count)
        let group = DispatchGroup()
        for _ in 0..<min(max(concurrency, 1), elements.count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while let index = work.claim() {
                    do { work.store(try transform(elements[index]), at: index) } catch { work.fail(error, at: index) }
                }
            }
            thread.start()
        }
        group.wait()
        return try work.results()
    }
}

/// Hands out indices to worker threads and gathers their results.
/// `@unchecked`: every field is read and written under `lock`.
final class IndexedWork<Result>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result?]
    private var firstError: (index: Int, error: any Error)?

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

    func fail(_ error: any Error, at index: Int) {
        lock.withLock {
            if firstError.map({ index < $0.index }) ?? true { firstError = (index, error) }
        }
    }

    func results() throws -> [Result] {
        try lock.withLock {
            if let firstError { throw firstError.error }
            return try slots.map { slot in
                guard let slot else { throw RegistryError.invalidResponse(url: "", reason: "a concurrent lookup did not finish") }
                return slot
            }
        }
    }
}
