import Dispatch
import FastExtract
import Foundation

extension RegistryClient {
    /// `headManifest` for many references at once, answers in input order.
    /// Runs `concurrency` plain threads, each reusing its own libcurl handle
    /// (and so its connections); the first error by input position wins.
    public func headManifests(_ references: [String], concurrency: Int = 8) throws -> [ManifestHead?] {
        guard !references.isEmpty else { return [] }
        // Probe and fetch the token once, not once per thread.
        try prepare()
        let work = IndexedWork<ManifestHead?>(count: references.count)
        let group = DispatchGroup()
        for _ in 0..<min(max(concurrency, 1), references.count) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while let index = work.claim() {
                    do { work.store(try headManifest(references[index]), at: index) } catch { work.fail(error, at: index) }
                }
            }
            thread.start()
        }
        group.wait()
        return try work.results()
    }
}

/// Hands out indices to worker threads and gathers their results.
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
