import FoundationEssentials
import OCIModel

/// A blob read at the reader's pace that still passes every byte through a
/// consumer chain (a `DigestVerifier`, progress, cancellation) as it is read.
/// The chain's `finish()` runs when the blob's last byte has been read and
/// before that byte is handed on, so a mismatch stops the reader (an upload)
/// before it has sent the whole blob; bytes past `size` are never read.
final class ObservedByteSource: ByteSource {
    private let source: ByteSource
    private let size: Int64
    private let observer: BlobConsumer
    private var read: Int64 = 0
    private var finished = false

    init(_ source: ByteSource, size: Int64, observer: BlobConsumer) {
        self.source = source
        self.size = size
        self.observer = observer
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let base = buffer.baseAddress else { return 0 }
        let room = Int(min(Int64(buffer.count), size - read))
        var count = 0
        if room > 0 {
            count = try source.read(into: UnsafeMutableRawBufferPointer(start: base, count: room))
            try observer.consume(UnsafeRawBufferPointer(start: base, count: count))
            read += Int64(count)
        }
        if count == 0 || read == size {
            finished = true
            try observer.finish()  // a short file fails here as a size mismatch
        }
        return count
    }
}
