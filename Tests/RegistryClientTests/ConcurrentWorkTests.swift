import Foundation
import RegistryClient
import Synchronization
import Testing

/// The thread pool behind parallel uploads and tag lookups.
@Suite struct ConcurrentWorkTests {
    private struct Boom: Error, Equatable { let index: Int }

    @Test func answersInInputOrderOnSeveralThreads() throws {
        let threads = Mutex(Set<String>())
        let results = try ConcurrentWork.map(Array(0..<40), width: 4) { value, _ in
            let name = "\(Unmanaged.passUnretained(Thread.current).toOpaque())"
            threads.withLock { _ = $0.insert(name) }
            Thread.sleep(forTimeInterval: 0.005)
            return value * 2
        }
        #expect(results == (0..<40).map { $0 * 2 })
        #expect(threads.withLock { $0.count } > 1, "every job ran on one thread")
    }

    @Test func widthOneRunsInOrderOnTheCallingThread() throws {
        let caller = Thread.current
        let order = Mutex([Int]())
        _ = try ConcurrentWork.map(Array(0..<5), width: 1) { value, _ in
            #expect(Thread.current == caller)
            order.withLock { $0.append(value) }
        }
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
    }

    /// The first failure is thrown; jobs running then see the cancellation
    /// (their own errors are dropped) and no job starts after it.
    @Test func firstFailureWinsAndCancelsTheRest() throws {
        let started = Mutex(0)
        #expect(throws: Boom(index: 1)) {
            _ = try ConcurrentWork.map(Array(0..<50), width: 3) { value, cancellation in
                started.withLock { $0 += 1 }
                if value == 1 {
                    Thread.sleep(forTimeInterval: 0.02)
                    throw Boom(index: 1)
                }
                let deadline = Date(timeIntervalSinceNow: 5)
                while !cancellation.isCancelled && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
                throw WorkCancelled()
            }
        }
        #expect(started.withLock { $0 } <= 3, "jobs started after the failure")
    }
}
