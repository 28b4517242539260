import Foundation
@testable import OCIModel
import TestSupport
import Testing

@Suite struct HashTests {
    private func digest(_ text: String) -> Digest {
        Array(text.utf8).withUnsafeBytes { SHA256Hasher.digest(of: $0) }
    }

    @Test func knownVectors() {
        #expect(digest("").encoded == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest("abc").encoded == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").encoded
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func incrementalEqualsOneShotAndResets() {
        let hasher = SHA256Hasher()
        for piece in ["a", "b", "c"] { Array(piece.utf8).withUnsafeBytes { hasher.update($0) } }
        #expect(hasher.finalize() == digest("abc"))
        // finalize leaves the hasher ready for a new message.
        #expect(hasher.finalize() == digest(""))
    }

    @Test func matchesSha256sumOnAFile() throws {
        let directory = try TemporaryDirectory(prefix: "fastextract-stream")
        var path: String { directory.path + "/data" }
        try StreamFixtures.writeSampleData(to: path, bytes: 3_000_017, seed: 1)
        let consumer = DigestRecorder()
        try StreamFixtures.feed(try StreamFixtures.contents(path), to: consumer,
                                chunkSizes: StreamFixtures.randomChunkSizes())
        #expect(consumer.digest == (try StreamFixtures.sha256sum(path)))
        #expect(consumer.count == 3_000_017)
    }

    @Test func verifierPassesMatchingBlobAndForwardsFinish() throws {
        let bytes = Array("hello, layer".utf8)
        let expected = bytes.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
        let sink = CollectingConsumer()
        let verifier = DigestVerifier(expected: expected, size: Int64(bytes.count), next: sink)
        try StreamFixtures.feed(bytes, to: verifier, chunkSizes: [1, 3])
        #expect(sink.bytes == bytes)
        #expect(sink.finished)
        #expect(verifier.bytesSeen == Int64(bytes.count))
    }

    @Test func verifierRejectsDigestMismatchBeforeForwardingFinish() throws {
        let bytes = Array("hello, layer".utf8)
        let wrong = digest("something else")
        let sink = CollectingConsumer()
        let verifier = DigestVerifier(expected: wrong, size: nil, next: sink)
        let error = #expect(throws: BlobVerificationError.self) {
            try StreamFixtures.feed(bytes, to: verifier, chunkSizes: [5])
        }
        guard case .digestMismatch(let expected, let actual) = error else {
            Issue.record("expected a digest mismatch, got \(String(describing: error))")
            return
        }
        #expect(expected == wrong)
        #expect(actual == bytes.withUnsafeBytes { SHA256Hasher.digest(of: $0) })
        #expect(!sink.finished)
        #expect(error?.description.contains(wrong.description) == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func verifierRejectsShortAndLongBlobs() throws {
        let bytes = Array("0123456789".utf8)
        let expected = bytes.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
        let short = DigestVerifier(expected: expected, size: 11, next: CollectingConsumer())
        #expect(throws: BlobVerificationError.sizeMismatch(digest: expected, expected: 11, actual: 10)) {
            try StreamFixtures.feed(bytes, to: short, chunkSizes: [4])
        }
        // Too many bytes fail as soon as they arrive, before finish.
        let long = DigestVerifier(expected: expected, size: 9, next: CollectingConsumer())
        #expect(throws: BlobVerificationError.tooLarge(digest: expected, expected: 9)) {
            try StreamFixtures.feed(bytes, to: long, chunkSizes: [4], finish: false)
        }
    }
}
