@testable import FastExtract
import Foundation
@testable import OCIModel
import Testing

/// A value shared between a test and the threads it starts.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    var current: Value { lock.withLock { value } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&value) } }
}

/// Runs `body` on a new thread; `wait` returns whether it ended within the timeout.
final class TestThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let done = done
        Thread {
            body()
            done.signal()
        }.start()
    }

    func wait(seconds: Double = 10) -> Bool {
        done.wait(timeout: .now() + seconds) == .success
    }
}

@Suite struct StreamChannelTests {
    private func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }

    @Test(arguments: [(1, 3), (7, 1), (1000, 2), (4096, 3)])
    func bytesArriveInOrder(readSize: Int, slots: Int) throws {
        let channel = ChunkChannel(slots: slots, slotSize: 1000)
        let data = pattern(50_123)
        let producerError = LockedBox<Error?>(nil)
        let producer = TestThread {
            do { try StreamFixtures.feed(data, to: channel, chunkSizes: StreamFixtures.randomChunkSizes()) } catch {
                producerError.update { $0 = error }
            }
        }
        var received: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = try channel.read(into: buffer)
            if count == 0 { break }
            received.append(contentsOf: buffer[..<count])
        }
        #expect(producer.wait())
        #expect(producerError.current == nil)
        #expect(received == data)
        #expect(try channel.read(into: buffer) == 0)
    }

    @Test func fastProducerStaysBounded() throws {
        let channel = ChunkChannel(slots: 2, slotSize: 4)
        let data = pattern(100)
        let accepted = LockedBox(0)
        let producer = TestThread {
            do {
                for index in data.indices {
                    try data.withUnsafeBytes { try channel.consume(UnsafeRawBufferPointer(rebasing: $0[index...index])) }
                    accepted.update { $0 += 1 }
                }
                try channel.finish()
            } catch {}
        }
        // Two full slots, then the producer waits for the reader, however long it waits.
        let deadline = Date().addingTimeInterval(10)
        while accepted.current < 8, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(accepted.current == 8)
        let (digest, count) = try hashAll(channel, readSize: 3)
        #expect(producer.wait())
        #expect(count == 100)
        #expect(digest == data.withUnsafeBytes { SHA256Hasher.digest(of: $0) })
    }

    @Test func readerFailureUnblocksProducer() throws {
        let channel = ChunkChannel(slots: 2, slotSize: 16)
        let producerError = LockedBox<Error?>(nil)
        let producer = TestThread {
            do { try StreamFixtures.feed([UInt8](repeating: 1, count: 1000), to: channel, chunkSizes: [10]) } catch {
                producerError.update { $0 = error }
            }
        }
        Thread.sleep(forTimeInterval: 0.1)
        channel.fail(TestFailure(name: "reader"))
        #expect(producer.wait())
        #expect(producerError.current as? TestFailure == TestFailure(name: "reader"))
        #expect(throws: TestFailure(name: "reader")) { _ = try hashAll(channel) }
    }

    @Test func producerFailureUnblocksReader() throws {
        let channel = ChunkChannel(slots: 2, slotSize: 16)
        let readerError = LockedBox<Error?>(nil)
        let reader = TestThread {
            do { _ = try hashAll(channel) } catch { readerError.update { $0 = error } }
        }
        Thread.sleep(forTimeInterval: 0.1)
        channel.fail(TestFailure(name: "producer"))
        channel.fail(TestFailure(name: "later"))
        #expect(reader.wait())
        #expect(readerError.current as? TestFailure == TestFailure(name: "producer"))
        #expect(channel.failure as? TestFailure == TestFailure(name: "producer"))
    }

    @Test func writingAfterFinishThrows() throws {
        let channel = ChunkChannel(slots: 2, slotSize: 16)
        try StreamFixtures.feed([1, 2, 3], to: channel, chunkSizes: [3])
        #expect(throws: ChunkChannelError.writeAfterFinish) {
            try StreamFixtures.feed([4], to: channel, chunkSizes: [1], finish: false)
        }
    }
}
