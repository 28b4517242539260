import Foundation

/// SHA-256 on a thread of its own. On the network thread of a layer fetch,
/// hashing (~0.7 s per GiB) sits on the critical path next to inflating
/// (~3 s per GiB); handing the compressed bytes to another core through a
/// small bounded channel takes it off that path for the cost of one copy.
final class BackgroundHasher {
    private let channel = ChunkChannel(slots: 4, slotSize: 1 << 20)
    private let completion = ThreadCompletion()
    private let result = HashResult()
    private var joined = false

    init() {
        let channel = channel
        let completion = completion
        let result = result
        let thread = Thread {
            let hasher = SHA256Hasher()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            do {
                while true {
                    let count = try channel.read(into: buffer)
                    if count == 0 { break }
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
                result.set(hasher.finalize())
            } catch {
                channel.fail(error)
            }
            completion.signal()
        }
        thread.name = "blob-hash"
        thread.start()
    }

    deinit { cancel() }

    /// Queues bytes for hashing; blocks only while the hashing thread is four
    /// chunks behind.
    func update(_ bytes: UnsafeRawBufferPointer) throws {
        try channel.consume(bytes)
    }

    /// Waits for the hashing thread and returns the digest of every byte given.
    func finalize() throws -> Digest {
        try channel.finish()
        join()
        if let failure = channel.failure { throw failure }
        guard let digest = result.digest else { throw LayerExtractionError.abandoned }
        return digest
    }

    /// Stops the hashing thread; safe to call more than once.
    func cancel() {
        guard !joined else { return }
        channel.fail(LayerExtractionError.abandoned)
        join()
    }

    private func join() {
        guard !joined else { return }
        completion.wait()
        joined = true
    }

    /// The digest handed from the hashing thread to the caller's.
    private final class HashResult: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Digest?
        var digest: Digest? { lock.withLock { value } }
        func set(_ digest: Digest) { lock.withLock { value = digest } }
    }
}
