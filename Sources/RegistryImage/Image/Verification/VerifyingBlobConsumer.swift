import FastExtract

/// Hashes and counts the bytes passing to `downstream`; `finish` fails unless
/// they match the descriptor, before the downstream consumer finishes. A
/// stream longer than the descriptor fails at once rather than at the end.
final class VerifyingBlobConsumer: BlobConsumer {
    private let expected: Descriptor
    private let downstream: BlobConsumer
    private let hasher: SHA256Hasher
    private var count: Int64 = 0

    init(expecting descriptor: Descriptor, downstream: BlobConsumer) throws(ImageError) {
        expected = descriptor
        self.downstream = downstream
        hasher = try SHA256Hasher()
    }

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        count += Int64(chunk.count)
        guard count <= expected.size else {
            throw ImageError.sizeMismatch(expected.digest, expected: expected.size, actual: count)
        }
        hasher.update(chunk)
        try downstream.consume(chunk)
    }

    func finish() throws {
        guard count == expected.size else {
            throw ImageError.sizeMismatch(expected.digest, expected: expected.size, actual: count)
        }
        let actual = hasher.finalize()
        guard actual == expected.digest else { throw ImageError.digestMismatch(expected: expected.digest, actual: actual) }
        try downstream.finish()
    }
}
