@testable import FastExtract
import Foundation
@testable import OCIModel
import TestSupport
import Testing

/// One layer through a `LayerPipeline`: what `in` does for every layer, seen one at a time.
@Suite struct StreamSingleLayerTests {
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

    /// One layer through a pipeline behind a verifier that hashes on the pipeline's thread, as `in` runs it.
    static func single(
        _ fixture: Fixture, _ blob: String, expected: Digest? = nil, size: Int64? = nil, slotSize: Int = 16 << 10,
        apply: @escaping @Sendable (ByteSource) throws -> Void
    ) throws -> (pipeline: LayerPipeline, layer: PipelinedLayer, verifier: DigestVerifier) {
        let pipeline = LayerPipeline(readAhead: .init(slots: 2, slotSize: slotSize)) { _, stream in try apply(stream) }
        let layer = try pipeline.layer()
        let verifier = DigestVerifier(expected: try expected ?? fixture.digest(blob), size: size, next: layer)
        return (pipeline, layer, verifier)
    }

    @Test(arguments: ["layer.gz", "layer.zst", "layer"])
    func extractsWhatWasCompressed(blob: String) throws {
        let fixture = try Fixture()
        let seen = LockedBox<(Digest, Int64)?>(nil)
        let run = try Self.single(fixture, blob, size: try fixture.size(blob), slotSize: 64 << 10) { source in
            let result = try hashAll(source, readSize: 10_000)
            seen.update { $0 = result }
        }
        try FileBlobReader.stream(path: fixture.path(blob), into: run.verifier)
        try run.pipeline.finish()
        #expect(seen.current?.0 == fixture.plainDigest)
        #expect(seen.current?.1 == 2_500_000)
        #expect(run.layer.detected == (blob.hasSuffix(".gz") ? .gzip : blob.hasSuffix(".zst") ? .zstd : Compression.none))
    }

    @Test func extractionErrorReachesTheProducer() throws {
        let fixture = try Fixture()
        let run = try Self.single(fixture, "layer.gz") { source in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1000, alignment: 1)
            defer { buffer.deallocate() }
            _ = try source.read(into: buffer)
            throw TestFailure(name: "disk full")
        }
        #expect(throws: TestFailure(name: "disk full")) {
            try FileBlobReader.stream(path: fixture.path("layer.gz"), into: run.verifier)
            try run.pipeline.finish()
        }
    }

    @Test func producerErrorIsNotMaskedByTheExtractionErrorItCaused() throws {
        let fixture = try Fixture()
        // The extraction wraps whatever its reads throw, as a tar reader would.
        let wrapping: @Sendable (ByteSource) throws -> Void = { source in
            do { _ = try hashAll(source) } catch { throw TestFailure(name: "tar reader saw: \(error)") }
        }
        let wrong = Digest(sha256Hex: String(repeating: "0", count: 64))
        let mismatched = try Self.single(fixture, "layer.gz", expected: wrong, apply: wrapping)
        let mismatch = #expect(throws: BlobVerificationError.self) {
            try FileBlobReader.stream(path: fixture.path("layer.gz"), into: mismatched.verifier)
        }
        #expect(mismatch?.description.contains(wrong.description) == true)
        // What the destination does with a producer error: the first failure stays the mismatch.
        #expect(mismatched.pipeline.cancel(try #require(mismatch)) is BlobVerificationError)

        var corrupt = try StreamFixtures.contents(fixture.path("layer.gz"))
        corrupt[corrupt.count - 8] ^= 0x01
        let corruptDigest = corrupt.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
        let broken = try Self.single(fixture, "layer.gz", expected: corruptDigest, size: Int64(corrupt.count), apply: wrapping)
        #expect(throws: DecompressionError.corruptGzip(code: -6)) {
            try StreamFixtures.feed(corrupt, to: broken.verifier, chunkSizes: [16 * 1024])
        }
        #expect(throws: DecompressionError.corruptGzip(code: -6)) { try broken.pipeline.finish() }

        let short = try Self.single(fixture, "layer.gz", size: try fixture.size("layer.gz") + 1, apply: wrapping)
        #expect(throws: BlobVerificationError.self) {
            try FileBlobReader.stream(path: fixture.path("layer.gz"), into: short.verifier)
        }
    }

    @Test func cancelUnblocksAndJoinsTheExtractionThread() throws {
        let fixture = try Fixture()
        let observed = LockedBox<String?>(nil)
        let run = try Self.single(fixture, "layer") { source in
            do { _ = try hashAll(source) } catch {
                Thread.sleep(forTimeInterval: 0.2)  // cancel must wait for this
                observed.update { $0 = "\(error)" }
                throw error
            }
        }
        // More than the decoding thread's compressed slots and two decoded
        // ones, so the extraction is inside `apply`, blocked on the ring.
        try Array(try StreamFixtures.contents(fixture.path("layer")).prefix(400_000)).withUnsafeBytes { try run.verifier.consume($0) }
        Thread.sleep(forTimeInterval: 0.1)
        run.pipeline.cancel(TestFailure(name: "curl gave up"))
        #expect(observed.current == "test failure curl gave up")
        #expect(throws: TestFailure(name: "curl gave up")) { try run.pipeline.finish() }
        run.pipeline.cancel(TestFailure(name: "again"))  // idempotent
    }

    @Test func abandonedPipelineJoinsOnRelease() throws {
        let fixture = try Fixture()
        let ended = LockedBox(false)
        let started = DispatchSemaphore(value: 0)
        do {
            let run = try Self.single(fixture, "layer") { source in
                started.signal()
                defer { ended.update { $0 = true } }
                _ = try hashAll(source)
            }
            try Array(try StreamFixtures.contents(fixture.path("layer")).prefix(400_000)).withUnsafeBytes { try run.verifier.consume($0) }
            // Released while the extraction is inside `apply` (decoding runs on its own thread).
            #expect(started.wait(timeout: .now() + 20) == .success)
        }
        #expect(ended.current)
    }

    @Test func extractionMayStopEarlyAndTheBlobIsStillVerified() throws {
        let fixture = try Fixture()
        let run = try Self.single(fixture, "layer.gz", size: try fixture.size("layer.gz")) { source in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 1)
            defer { buffer.deallocate() }
            _ = try source.read(into: buffer)  // like a tar reader that met the end-of-archive marker
        }
        try FileBlobReader.stream(path: fixture.path("layer.gz"), into: run.verifier)
        try run.pipeline.finish()
        #expect(run.layer.bytesSeen == (try fixture.size("layer.gz")))
        #expect(run.verifier.bytesSeen == (try fixture.size("layer.gz")))
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
