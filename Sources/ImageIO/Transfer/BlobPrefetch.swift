import FoundationEssentials
import OCIModel
import RegistryClient

/// A blob's download started before its turn, on a thread of its own, so the
/// registry's time to first byte overlaps with the blob before it instead of
/// adding to it (40 small layers lost ~10 ms each waiting for their `GET`).
///
/// Nothing is buffered: the thread holds the first chunk inside libcurl's
/// callback (TCP flow control holds the server) until `stream(into:)` hands
/// it the consumer; from then on that thread streams the blob, retries and
/// resumes included, while the caller waits for it. When the turn does not
/// come within `patience` (kept well under the stall timeout), when the
/// prefetch is abandoned, or when the download failed before its first byte,
/// `stream` returns false and the caller fetches the blob as it would have —
/// so an error is always reported by the ordinary path.
final class BlobPrefetch: @unchecked Sendable {  // every mutable field is guarded by `condition`
    let digest: Digest
    private let condition = PosixCondition()
    private var consumer: BlobConsumer?
    private var dropped = false
    private var ended = false
    private var failure: (any Error)?

    /// Half the stall timeout, at most 20 s.
    static var patience: Duration { min(.seconds(20), RegistryOptions.defaultStallTimeout / 2) }

    init(_ blob: Descriptor, from source: ImageSource) {
        digest = blob.digest
        let (seconds, attoseconds) = Self.patience.components
        let deadline = MonotonicInstant.now().advanced(bySeconds: Double(seconds) + Double(attoseconds) / 1e18)
        // Only sources that `allowsConcurrentBlobReads` are prefetched from.
        let source = SendableBox(source)
        PosixThread.start(name: "blob-prefetch") { [self] in
            do {
                try source.value.streamBlob(blob, into: PrefetchGate(prefetch: self, deadline: deadline))
                end(nil)
            } catch {
                end(error)
            }
        }
    }

    /// Streams the blob into `consumer` on the prefetch's thread and returns
    /// true once it ended (throwing what the stream threw), or returns false
    /// at once when the prefetch is no longer usable.
    func stream(into consumer: BlobConsumer) throws -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !dropped, !ended else {
            dropped = true
            return false
        }
        self.consumer = consumer
        condition.broadcast()
        while !ended { condition.wait() }
        if let failure { throw failure }
        return true
    }

    /// Gives the download up unless it was handed a consumer; the thread ends
    /// at its next byte (or when the registry answers), on its own.
    func abandon() {
        condition.lock()
        if consumer == nil { dropped = true }
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer, once the turn came; throws when the prefetch was dropped.
    fileprivate func awaitTurn(until deadline: MonotonicInstant) throws -> BlobConsumer {
        condition.lock()
        defer { condition.unlock() }
        while consumer == nil, !dropped {
            if !condition.wait(until: deadline) { break }
        }
        guard let consumer, !dropped else {
            dropped = true
            throw PrefetchDropped()
        }
        return consumer
    }

    private func end(_ error: (any Error)?) {
        condition.lock()
        ended = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }
}

/// What the prefetch's download writes into: waits for the turn at the first
/// byte (or at the end of an empty blob), then forwards.
private final class PrefetchGate: BlobConsumer {
    private let prefetch: BlobPrefetch
    private let deadline: MonotonicInstant
    private var next: BlobConsumer?

    init(prefetch: BlobPrefetch, deadline: MonotonicInstant) {
        self.prefetch = prefetch
        self.deadline = deadline
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        try target().consume(chunk)
    }

    func finish() throws {
        try target().finish()
    }

    private func target() throws -> BlobConsumer {
        if let next { return next }
        let consumer = try prefetch.awaitTurn(until: deadline)
        next = consumer
        return consumer
    }
}

/// The download gave way: the caller fetches the blob itself.
private struct PrefetchDropped: Error, CustomStringConvertible {
    var description: String { "a prefetched download was given up" }
}
