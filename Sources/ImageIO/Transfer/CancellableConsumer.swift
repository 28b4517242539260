import FoundationEssentials
import OCIModel
import RegistryClient

/// Passes bytes on until a sibling transfer failed (`ConcurrentWork`), then
/// stops the blob at its next chunk instead of sending the rest.
final class CancellableConsumer: BlobConsumer {
    private let cancellation: CancellationFlag
    private let next: BlobConsumer

    init(_ cancellation: CancellationFlag, next: BlobConsumer) {
        self.cancellation = cancellation
        self.next = next
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        if cancellation.isCancelled { throw WorkCancelled() }
        try next.consume(chunk)
    }

    func finish() throws {
        if cancellation.isCancelled { throw WorkCancelled() }
        try next.finish()
    }
}
