@testable import FastExtract
import Foundation
@testable import OCIModel
import TestSupport
import Testing

@Suite struct StreamLayerExtractionTests {
    /// A sample file, its gzip (by the gzip CLI) and zstd (by the zstd CLI) forms, and their sha256sums.
    final class Fixture {
        private let scratch: TemporaryDirectory
        var directory: String { scratch.path }
        let plainDigest: Digest

        init(bytes: Int = 2_500_000) throws {
            scratch = try TemporaryDirectory(prefix: "fastextract-stream")
            let directory = scratch.path
            try StreamFixtures.writeSampleData(to: directory + "/layer", bytes: bytes, seed: 21)
            try StreamFixtures.shell("cd '\(directory)' && gzip -6 -c layer > layer.gz && zstd -q -c layer > layer.zst")
            plainDigest = try StreamFixtures.sha256sum(directory + "/layer")
        }

        func path(_ name: String) -> String { directory + "/" + name }
        func digest(_ name: String) throws -> Digest { try StreamFixtures.sha256sum(path(name)) }
        func size(_ name: String) throws -> Int64 { Int64(try StreamFixtures.contents(path(name)).count) }
    }

    @Test(arguments: ["layer.gz", "layer.zst", "layer"])
    func extractsWhatWasCompressed(blob: String) throws {
        let fixture = try Fixture()
        let seen = LockedBox<(Digest, Int64)?>(nil)
        let extraction = LayerExtraction(expected: try fixture.digest(blob), size: try fixture.size(blob),
                                         slots: 2, slotSize: 64 * 1024) { source in
            let result = try hashAll(source, readSize: 10_000)
            seen.update { $0 = result }
        }
        try FileBlobReader.stream(path: fixture.path(blob), into: extraction)
        #expect(seen.current?.0 == fixture.plainDigest)
        #expect(seen.current?.1 == 2_500_000)
        #expect(extraction.detected == (blob.hasSuffix(".gz") ? .gzip : blob.hasSuffix(".zst") ? .zstd : Compression.none))
    }

    @Test func extractionErrorReachesTheProducer() throws {
        let fixture = try Fixture()
        let extraction = LayerExtraction(expected: try fixture.digest("layer.gz"), size: nil,
                                         slots: 2, slotSize: 16 * 1024) { source in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1000, alignment: 1)
            defer { buffer.deallocate() }
            _ = try source.read(into: buffer)
            throw TestFailure(name: "disk full")
        }
        #expect(throws: TestFailure(name: "disk full")) {
            try FileBlobReader.stream(path: fixture.path("layer.gz"), into: extraction)
        }
    }

    @Test func producerErrorIsNotMaskedByTheExtractionErrorItCaused() throws {
        let fixture = try Fixture()
        // The extraction wraps whatever its reads throw, as a tar reader would.
        let wrapping: @Sendable (ByteSource) throws -> Void = { source in
            do { _ = try hashAll(source) } catch { throw TestFailure(name: "tar reader saw: \(error)") }
        }
        let wrong = Digest(sha256Hex: String(repeating: "0", count: 64))
        let mismatched = LayerExtraction(expected: wrong, size: nil, slots: 2, slotSize: 16 * 1024, extract: wrapping)
        let mismatch = #expect(throws: BlobVerificationError.self) {
            try FileBlobReader.stream(path: fixture.path("layer.gz"), into: mismatched)
        }
        #expect(mismatch?.description.contains(wrong.description) == true)

        var corrupt = try StreamFixtures.contents(fixture.path("layer.gz"))
        corrupt[corrupt.count - 8] ^= 0x01
        let corruptDigest = corrupt.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
        let broken = LayerExtraction(expected: corruptDigest, size: Int64(corrupt.count), slots: 2,
                                     slotSize: 16 * 1024, extract: wrapping)
        #expect(throws: DecompressionError.corruptGzip(code: -6)) {
            try StreamFixtures.feed(corrupt, to: broken, chunkSizes: [16 * 1024])
        }

        let short = LayerExtraction(expected: try fixture.digest("layer.gz"), size: try fixture.size("layer.gz") + 1,
                                    extract: wrapping)
        #expect(throws: BlobVerificationError.self) {
            try FileBlobReader.stream(path: fixture.path("layer.gz"), into: short)
        }
    }

    @Test func cancelUnblocksAndJoinsTheExtractionThread() throws {
        let observed = LockedBox<String?>(nil)
        let extraction = LayerExtraction(expected: Digest(sha256Hex: String(repeating: "a", count: 64)), size: nil) { source in
            do { _ = try hashAll(source) } catch {
                Thread.sleep(forTimeInterval: 0.2)  // cancel must wait for this
                observed.update { $0 = "\(error)" }
                throw error
            }
        }
        try [UInt8](repeating: 0x1f, count: 10).withUnsafeBytes { try extraction.consume($0) }
        extraction.cancel(TestFailure(name: "curl gave up"))
        #expect(observed.current == "test failure curl gave up")
        #expect(throws: TestFailure(name: "curl gave up")) { try extraction.finish() }
        extraction.cancel(TestFailure(name: "again"))  // idempotent
    }

    @Test func abandonedExtractionJoinsOnRelease() throws {
        let ended = LockedBox(false)
        do {
            let extraction = LayerExtraction(expected: Digest(sha256Hex: String(repeating: "b", count: 64)), size: nil) { source in
                defer { ended.update { $0 = true } }
                _ = try hashAll(source)
            }
            try [UInt8](repeating: 7, count: 100).withUnsafeBytes { try extraction.consume($0) }
        }
        #expect(ended.current)
    }

    @Test func extractionMayStopEarlyAndTheBlobIsStillVerified() throws {
        let fixture = try Fixture()
        let extraction = LayerExtraction(expected: try fixture.digest("layer.gz"), size: try fixture.size("layer.gz"),
                                         slots: 2, slotSize: 16 * 1024) { source in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 1)
            defer { buffer.deallocate() }
            _ = try source.read(into: buffer)  // like a tar reader that met the end-of-archive marker
        }
        try FileBlobReader.stream(path: fixture.path("layer.gz"), into: extraction)
        #expect(extraction.bytesSeen == (try fixture.size("layer.gz")))
    }
}

@Suite struct StreamBlobFileTests {
    @Test func readerFeedsTheWholeFile() throws {
        let directory = try TemporaryDirectory(prefix: "fastextract-stream")
        try StreamFixtures.writeSampleData(to: directory.path + "/blob", bytes: 3 * 1024 * 1024 + 5, seed: 31)
        let consumer = DigestRecorder()
        try FileBlobReader.stream(path: directory.path + "/blob", into: consumer)
        #expect(consumer.digest == (try StreamFixtures.sha256sum(directory.path + "/blob")))
        #expect(consumer.count == 3 * 1024 * 1024 + 5)
        #expect(throws: BlobIOError.self) { try FileBlobReader.stream(path: directory.path + "/missing", into: consumer) }
    }
}
