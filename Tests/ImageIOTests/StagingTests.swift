import Foundation
@testable import ImageIO
import OCIModel
import TestSupport
import Testing

/// The one "partial file, then rename" writer, behind the one verifier: a
/// blob appears under its name only when its bytes matched.
@Suite struct StagingTests {
    private func blob(_ path: String, expected: Digest, size: Int64?) throws -> BlobConsumer {
        DigestVerifier(expected: expected, size: size, next: try StagedBlobFile(finalPath: path))
    }

    /// Feeds `bytes` in pieces of `chunk` bytes, then finishes when asked.
    private func feed(_ bytes: [UInt8], to consumer: BlobConsumer, chunk: Int, finish: Bool = true) throws {
        try bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let count = min(chunk, all.count - offset)
                try consumer.consume(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)]))
                offset += count
            }
        }
        if finish { try consumer.finish() }
    }

    private func sha256sum(_ path: String) throws -> Digest {
        let external = try ExternalDigest.sha256(ofFile: path)
        return Digest(sha256Hex: String(external.dropFirst("sha256:".count)))
    }

    @Test func writerStoresAVerifiedBlob() throws {
        let directory = try TemporaryDirectory()
        let bytes = (0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(bytes).write(to: directory.appending("source"))
        let writer = try blob(
            directory.path + "/stored", expected: try sha256sum(directory.path + "/source"), size: Int64(bytes.count))
        try feed(bytes, to: writer, chunk: 4099)
        #expect(try Data(contentsOf: directory.appending("stored")) == Data(bytes))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["source", "stored"])
    }

    @Test func writerLeavesNothingOnMismatch() throws {
        let directory = try TemporaryDirectory()
        let bytes = [UInt8](repeating: 42, count: 200_000)
        let digest = bytes.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
        // Each writer is dropped at the end of its block, as the transfer drops a failed one.
        do {
            let wrongDigest = try blob(directory.path + "/a", expected: Digest(sha256Hex: String(repeating: "c", count: 64)), size: nil)
            #expect(throws: BlobVerificationError.self) { try feed(bytes, to: wrongDigest, chunk: 4096) }
        }
        do {
            let wrongSize = try blob(directory.path + "/b", expected: digest, size: 100)
            #expect(throws: BlobVerificationError.tooLarge(digest: digest, expected: 100)) {
                try feed(bytes, to: wrongSize, chunk: 4096)
            }
        }
        do {
            let abandoned = try blob(directory.path + "/c", expected: digest, size: nil)
            try feed(bytes, to: abandoned, chunk: 4096, finish: false)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
