import Foundation
import Glibc
import Testing
import TestSupport
@testable import FastExtract
import OCIModel

@Suite struct StreamLayerPipelineTests {
    /// Three sample blobs of different sizes and compressions (by the gzip and zstd CLIs), with their digests.
    final class Blobs {
        let scratch: TemporaryDirectory
        var directory: String { scratch.path }
        let names = ["one.gz", "two.zst", "three"]
        let plain: [Digest]

        init() throws {
            scratch = try TemporaryDirectory(prefix: "fastextract-pipeline")
            let directory = scratch.path
            try StreamFixtures.writeSampleData(to: directory + "/one", bytes: 1_300_000, seed: 41)
            try StreamFixtures.writeSampleData(to: directory + "/two", bytes: 700_001, seed: 42)
            try StreamFixtures.writeSampleData(to: directory + "/three", bytes: 90_000, seed: 43)
            try StreamFixtures.shell("cd '\(directory)' && gzip -6 -c one > one.gz && zstd -q -c two > two.zst")
            let made = directory
            plain = try ["one", "two", "three"].map { try StreamFixtures.sha256sum(made + "/" + $0) }
        }

        func path(_ index: Int) -> String { directory + "/" + names[index] }
        func digest(_ index: Int) throws -> Digest { try StreamFixtures.sha256sum(path(index)) }
    }

    @Test func layersArriveInOrderOnOneThread() throws {
        let blobs = try Blobs()
        let seen = LockedBox<[(Int, Digest, pthread_t)]>([])
        let pipeline = LayerPipeline(readAhead: .init(slots: 3, slotSize: 64 << 10)) { index, stream in
            let (digest, _) = try hashAll(stream, readSize: 7_000)
            seen.update { $0.append((index, digest, pthread_self())) }
        }
        for index in 0..<3 {
            try FileBlobReader.stream(path: blobs.path(index), into: try pipeline.verifiedLayer(expected: try blobs.digest(index), size: nil))
        }
        try pipeline.finish()
        #expect(seen.current.map(\.0) == [0, 1, 2])
        #expect(seen.current.map(\.1) == blobs.plain)
        #expect(Set(seen.current.map { UInt(bitPattern: Int(bitPattern: $0.2)) }).count == 1)  // one extraction thread
        #expect(seen.current.first.map { pthread_equal($0.2, pthread_self()) } == 0)  // not the caller's
    }

    /// The next layer is received and decoded while the current one is still being applied.
    @Test func nextLayerIsReadAheadWhileOneIsApplied() throws {
        let blobs = try Blobs()
        let secondFed = DispatchSemaphore(value: 0)
        let waitedForSecond = LockedBox<Bool?>(nil)
        // 4 MiB of read-ahead holds all of layers 2 and 3 decoded.
        let pipeline = LayerPipeline(readAhead: .init(slots: 64, slotSize: 64 << 10)) { index, stream in
            if index == 0 {
                let result = secondFed.wait(timeout: .now() + 20)
                waitedForSecond.update { $0 = result == .success }
            }
            _ = try hashAll(stream)
        }
        try FileBlobReader.stream(path: blobs.path(0), into: try pipeline.verifiedLayer(expected: try blobs.digest(0), size: nil))
        try FileBlobReader.stream(path: blobs.path(1), into: try pipeline.verifiedLayer(expected: try blobs.digest(1), size: nil))
        secondFed.signal()  // reached only if layer 2 went in while layer 1's apply had not read a byte
        try FileBlobReader.stream(path: blobs.path(2), into: try pipeline.verifiedLayer(expected: try blobs.digest(2), size: nil))
        try pipeline.finish()
        #expect(waitedForSecond.current == true)
    }

    @Test func badDigestOfALaterLayerStopsTheImageAndItsEndIsNeverSeen() throws {
        let blobs = try Blobs()
        let ended = LockedBox<[Int]>([])
        let pipeline = LayerPipeline(readAhead: .init(slots: 2, slotSize: 16 << 10)) { index, stream in
            _ = try hashAll(stream)
            ended.update { $0.append(index) }
        }
        try FileBlobReader.stream(path: blobs.path(0), into: try pipeline.verifiedLayer(expected: try blobs.digest(0), size: nil))
        let wrong = Digest(sha256Hex: String(repeating: "0", count: 64))
        let failure = #expect(throws: BlobVerificationError.self) {
            try FileBlobReader.stream(path: blobs.path(1), into: try pipeline.verifiedLayer(expected: wrong, size: nil))
        }
        #expect(failure?.description.contains(wrong.description) == true)
        // A caller that forgets to cancel still cannot finish: the layer's end never came.
        #expect(throws: LayerPipelineError.unfinishedLayer) { try pipeline.finish() }
        #expect(!ended.current.contains(1))
    }

    /// Decoding runs on a thread of its own, but a blob that fails to decode
    /// fails its own layer's feed (its end waits for the decoding), so the
    /// error is never reported as the next layer's.
    @Test func decodingErrorFailsTheLayerItHappenedIn() throws {
        let blobs = try Blobs()
        var corrupt = try StreamFixtures.contents(blobs.path(0))
        corrupt[corrupt.count - 8] ^= 0x01  // the gzip trailer's CRC-32
        let digest = corrupt.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
        let pipeline = LayerPipeline(readAhead: .init(slots: 64, slotSize: 64 << 10)) { _, stream in _ = try hashAll(stream) }
        #expect(throws: DecompressionError.corruptGzip(code: -6)) {
            try StreamFixtures.feed(corrupt, to: try pipeline.verifiedLayer(expected: digest, size: nil), chunkSizes: [1 << 20])
        }
        #expect(throws: DecompressionError.corruptGzip(code: -6)) { try pipeline.finish() }
    }

    @Test func applyErrorOfOneLayerReachesTheProducerOfALaterOne() throws {
        let blobs = try Blobs()
        let pipeline = LayerPipeline(readAhead: .init(slots: 2, slotSize: 16 << 10)) { index, stream in
            _ = try hashAll(stream)
            if index == 0 { throw TestFailure(name: "disk full in layer \(index + 1)") }
        }
        #expect(throws: TestFailure(name: "disk full in layer 1")) {
            for index in 0..<3 {
                try FileBlobReader.stream(path: blobs.path(index), into: try pipeline.verifiedLayer(expected: try blobs.digest(index), size: nil))
            }
            try pipeline.finish()
        }
        #expect(throws: TestFailure(name: "disk full in layer 1")) { try pipeline.finish() }
    }

    @Test func applyMayStopEarlyAndTheNextLayerStartsAtItsOwnFirstByte() throws {
        let blobs = try Blobs()
        let digests = LockedBox<[Digest]>([])
        let pipeline = LayerPipeline(readAhead: .init(slots: 4, slotSize: 16 << 10)) { index, stream in
            if index == 0 {  // like a tar reader that met its end marker
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 1)
                defer { buffer.deallocate() }
                _ = try stream.read(into: buffer)
                return
            }
            let (digest, _) = try hashAll(stream)
            digests.update { $0.append(digest) }
        }
        for index in 0..<3 {
            try FileBlobReader.stream(path: blobs.path(index), into: try pipeline.verifiedLayer(expected: try blobs.digest(index), size: nil))
        }
        try pipeline.finish()
        #expect(digests.current == Array(blobs.plain[1...]))
    }

    @Test func cancelJoinsTheThreadAndKeepsTheFirstError() throws {
        let pipeline = LayerPipeline(readAhead: .init(slots: 2, slotSize: 4096)) { _, stream in _ = try hashAll(stream) }
        let layer = try pipeline.verifiedLayer(expected: Digest(sha256Hex: String(repeating: "c", count: 64)), size: nil)
        try [UInt8](repeating: 0, count: 100).withUnsafeBytes { try layer.consume($0) }
        let first = pipeline.cancel(TestFailure(name: "curl gave up"))
        #expect(first as? TestFailure == TestFailure(name: "curl gave up"))
        #expect((pipeline.cancel(TestFailure(name: "again")) as? TestFailure) == TestFailure(name: "curl gave up"))
        #expect(throws: TestFailure(name: "curl gave up")) { try pipeline.finish() }
    }

    @Test func layersThroughThePipelineMatchLayersAppliedOneByOne() throws {
        let layers: [[FixtureEntry]] = [
            [.dir("d", mode: 0o755), .file("d/lower", "l"), .file("d/sub/lower2", "l2"), .file("keep", "k"), .file("gone", "g")],
            [.file(".wh.gone"), .dir("d", mode: 0o711, mtime: 1_500_000_000), .file("d/new", "n"), .file("d/.wh..wh..opq")],
            [.dir("fresh"), .file("fresh/a", "a"), .symlink("fresh/ln", to: "a"), .file("keep", "k2")],
        ]
        let sequential = try LayerScratch()
        try sequential.apply(layers, fallback: false)
        let piped = try LayerScratch()
        let tars = try piped.writeTars(layers)
        try StreamFixtures.shell(tars.map { "gzip -k '\($0)'" }.joined(separator: " && "))
        let extraction = RootfsExtraction(
            writer: try RootfsWriter(rootPath: piped.rootfs), readAhead: .init(slots: 2, slotSize: 4096))
        for tar in tars {
            let blob = tar + ".gz"
            let layer = DigestVerifier(
                expected: try StreamFixtures.sha256sum(blob), size: nil, next: try extraction.layer())
            try FileBlobReader.stream(path: blob, into: layer)
        }
        try extraction.finish()
        // Implicit parents get the time of their creation: directory times are compared by the whiteout tests.
        let listing = "find . -type d -printf '%p %y %m\\n' -o -printf '%p %y %m %s %T@\\n' | sort"
        #expect(try StreamFixtures.shell("cd '\(piped.rootfs)' && \(listing)")
                == (try StreamFixtures.shell("cd '\(sequential.rootfs)' && \(listing)")))
        #expect(!piped.exists("d/lower"))
        #expect(piped.contents("keep") == "k2")
    }
}
