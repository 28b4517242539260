import Foundation
import Testing
@testable import FastExtract

/// DigestVerifier gives the same verdicts whether the SHA-256 runs inline or
/// on its helper thread (as LayerExtraction uses it).
@Suite struct HashBackgroundTests {
    private static let bytes: [UInt8] = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    private static let digest = bytes.withUnsafeBytes { SHA256Hasher.digest(of: $0) }

    @Test(arguments: [false, true])
    func acceptsTheRightBytesInAnyChunking(background: Bool) throws {
        let sink = CollectingConsumer()
        let verifier = DigestVerifier(expected: Self.digest, size: Int64(Self.bytes.count), next: sink,
                                      hashInBackground: background)
        try StreamFixtures.feed(Self.bytes, to: verifier, chunkSizes: StreamFixtures.randomChunkSizes())
        #expect(sink.finished)
        #expect(sink.bytes == Self.bytes)
    }

    @Test(arguments: [false, true])
    func refusesOneFlippedByte(background: Bool) throws {
        var corrupt = Self.bytes
        corrupt[1_234_567] ^= 0x01
        let sink = CollectingConsumer()
        let verifier = DigestVerifier(expected: Self.digest, size: Int64(corrupt.count), next: sink,
                                      hashInBackground: background)
        #expect(throws: BlobVerificationError.self) {
            try StreamFixtures.feed(corrupt, to: verifier, chunkSizes: [65_536])
        }
        #expect(!sink.finished)
    }

    @Test func abandonedBackgroundHashStopsItsThread() throws {
        // Dropping a verifier mid-blob must not leave its hashing thread blocked.
        for _ in 0..<20 {
            let verifier = DigestVerifier(expected: Self.digest, size: nil, next: CollectingConsumer(),
                                          hashInBackground: true)
            try Self.bytes.withUnsafeBytes { try verifier.consume(UnsafeRawBufferPointer(rebasing: $0[0..<100_000])) }
        }
    }
}
