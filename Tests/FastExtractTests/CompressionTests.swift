@testable import FastExtract
import Foundation
import TestSupport
import Testing

/// Compressed fixtures made by the gzip and zstd CLIs and Python's gzip module.
@Suite struct CompressionTests {
    /// Two sample files and their compressed forms, in a temporary directory.
    final class Fixture {
        private let scratch: TemporaryDirectory
        var directory: String { scratch.path }
        let first: [UInt8]
        let second: [UInt8]

        init(firstSize: Int = 600_000, secondSize: Int = 250_000) throws {
            scratch = try TemporaryDirectory(prefix: "fastextract-stream")
            let directory = scratch.path
            try StreamFixtures.writeSampleData(to: directory + "/a", bytes: firstSize, seed: 11)
            try StreamFixtures.writeSampleData(to: directory + "/b", bytes: secondSize, seed: 12)
            first = try StreamFixtures.contents(directory + "/a")
            second = try StreamFixtures.contents(directory + "/b")
            try StreamFixtures.shell("""
            cd '\(directory)' && gzip -6 -c a > a.gz && \
            python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.compress(open("b","rb").read(), 9))' > b.gz && \
            cat a.gz b.gz > ab.gz && \
            zstd -q -c a > a.zst && zstd -q -19 -c b > b.zst && cat a.zst b.zst > ab.zst
            """)
        }

        func file(_ name: String) throws -> [UInt8] { try StreamFixtures.contents(directory + "/" + name) }
    }

    private func decode(_ input: [UInt8], chunkSizes: [Int]) throws -> (bytes: [UInt8], detected: Compression?) {
        let sink = CollectingConsumer()
        let consumer = DecompressingConsumer(next: sink)
        try StreamFixtures.feed(input, to: consumer, chunkSizes: chunkSizes)
        #expect(sink.finished)
        return (sink.bytes, consumer.detected)
    }

    @Test func sniffsMagicBytes() {
        func sniff(_ bytes: [UInt8]) -> Compression { bytes.withUnsafeBytes { Compression.sniff($0) } }
        #expect(sniff([0x1f, 0x8b, 0x08, 0x00]) == .gzip)
        #expect(sniff([0x1f, 0x8b]) == .gzip)
        #expect(sniff([0x28, 0xb5, 0x2f, 0xfd, 0x00]) == .zstd)
        #expect(sniff([0x28, 0xb5, 0x2f]) == .none)
        #expect(sniff([0x1f]) == .none)
        #expect(sniff([]) == .none)
        #expect(sniff(Array("ustar".utf8)) == .none)
    }

    @Test func gzipSingleMember() throws {
        let fixture = try Fixture()
        let result = try decode(try fixture.file("a.gz"), chunkSizes: StreamFixtures.randomChunkSizes())
        #expect(result.detected == .gzip)
        #expect(result.bytes == fixture.first)
    }

    @Test func gzipMultiMemberFromCat() throws {
        let fixture = try Fixture()
        for sizes in [[1 << 20], StreamFixtures.randomChunkSizes(), [3, 1, 2]] {
            let result = try decode(try fixture.file("ab.gz"), chunkSizes: sizes)
            #expect(result.bytes == fixture.first + fixture.second, "chunk sizes \(sizes.prefix(5))")
        }
    }

    @Test func gzipOneByteChunks() throws {
        let fixture = try Fixture(firstSize: 90_000, secondSize: 40_000)
        let result = try decode(try fixture.file("ab.gz"), chunkSizes: [1])
        #expect(result.detected == .gzip)
        #expect(result.bytes == fixture.first + fixture.second)
    }

    @Test func gzipTrailingZeroPaddingIsTolerated() throws {
        let fixture = try Fixture(firstSize: 50_000, secondSize: 10_000)
        let padded = try fixture.file("ab.gz") + [UInt8](repeating: 0, count: 1024)
        let result = try decode(padded, chunkSizes: StreamFixtures.randomChunkSizes())
        #expect(result.bytes == fixture.first + fixture.second)
    }

    @Test func gzipTrailingGarbageIsRejected() throws {
        let fixture = try Fixture(firstSize: 50_000, secondSize: 10_000)
        let zerosThenJunk = try fixture.file("a.gz") + [0, 0, 0, 7]
        #expect(throws: DecompressionError.trailingGarbage(.gzip)) {
            _ = try decode(zerosThenJunk, chunkSizes: [4096])
        }
        // Bytes that are neither padding nor a gzip header fail in the header parser.
        let junk = try fixture.file("a.gz") + Array("not gzip".utf8)
        #expect(throws: DecompressionError.self) { _ = try decode(junk, chunkSizes: [4096]) }
    }

    @Test func gzipFlippedCRCByteIsAChecksumError() throws {
        let fixture = try Fixture(firstSize: 100_000, secondSize: 10_000)
        var corrupt = try fixture.file("a.gz")
        corrupt[corrupt.count - 8] ^= 0x01  // first byte of the CRC-32 trailer
        #expect(throws: DecompressionError.corruptGzip(code: -6)) {
            _ = try decode(corrupt, chunkSizes: StreamFixtures.randomChunkSizes())
        }
        var wrongLength = try fixture.file("a.gz")
        wrongLength[wrongLength.count - 1] ^= 0x40  // ISIZE trailer
        #expect(throws: DecompressionError.self) { _ = try decode(wrongLength, chunkSizes: [65536]) }
    }

    @Test func gzipFlippedDataByteIsAnError() throws {
        let fixture = try Fixture(firstSize: 100_000, secondSize: 10_000)
        var corrupt = try fixture.file("a.gz")
        corrupt[corrupt.count / 2] ^= 0x10
        #expect(throws: DecompressionError.self) { _ = try decode(corrupt, chunkSizes: [65536]) }
    }

    @Test(arguments: [1, 5, 9, 500])
    func gzipTruncatedIsAnError(droppedBytes: Int) throws {
        let fixture = try Fixture(firstSize: 100_000, secondSize: 10_000)
        let whole = try fixture.file("ab.gz")
        let truncated = Array(whole.prefix(whole.count - droppedBytes))
        #expect(throws: DecompressionError.self) { _ = try decode(truncated, chunkSizes: [7, 4096]) }
        // Cut inside the first member's header.
        #expect(throws: DecompressionError.truncated(.gzip)) { _ = try decode(Array(whole.prefix(6)), chunkSizes: [1]) }
    }

    @Test func zstdMultiFrame() throws {
        let fixture = try Fixture()
        for sizes in [[1 << 20], StreamFixtures.randomChunkSizes()] {
            let result = try decode(try fixture.file("ab.zst"), chunkSizes: sizes)
            #expect(result.detected == .zstd)
            #expect(result.bytes == fixture.first + fixture.second)
        }
    }

    @Test func zstdOneByteChunks() throws {
        let fixture = try Fixture(firstSize: 90_000, secondSize: 40_000)
        let result = try decode(try fixture.file("ab.zst"), chunkSizes: [1])
        #expect(result.bytes == fixture.first + fixture.second)
    }

    @Test(arguments: [1, 4, 100])
    func zstdTruncatedIsAnError(droppedBytes: Int) throws {
        let fixture = try Fixture(firstSize: 100_000, secondSize: 10_000)
        let whole = try fixture.file("ab.zst")
        #expect(throws: DecompressionError.truncated(.zstd)) {
            _ = try decode(Array(whole.prefix(whole.count - droppedBytes)), chunkSizes: [4096])
        }
    }

    @Test func zstdCorruptIsAnError() throws {
        let fixture = try Fixture(firstSize: 100_000, secondSize: 10_000)
        var corrupt = try fixture.file("a.zst")
        corrupt[corrupt.count - 2] ^= 0x55  // inside the content checksum
        #expect(throws: DecompressionError.self) { _ = try decode(corrupt, chunkSizes: [4096]) }
    }

    @Test func plainPassesThrough() throws {
        let fixture = try Fixture(firstSize: 70_000, secondSize: 10)
        let result = try decode(fixture.first, chunkSizes: StreamFixtures.randomChunkSizes())
        #expect(result.detected == Compression.none)
        #expect(result.bytes == fixture.first)
    }

    @Test func tinyAndEmptyBlobs() throws {
        // Shorter than the sniff length: judged at finish, passed through.
        let three = try decode([0x28, 0xb5, 0x2f], chunkSizes: [1])
        #expect(three.bytes == [0x28, 0xb5, 0x2f])
        #expect(three.detected == Compression.none)
        let empty = try decode([], chunkSizes: [1])
        #expect(empty.bytes.isEmpty)
        #expect(empty.detected == Compression.none)
        // A gzip magic with nothing behind it is a truncated gzip, not plain data.
        #expect(throws: DecompressionError.truncated(.gzip)) { _ = try decode([0x1f, 0x8b], chunkSizes: [1]) }
    }

    @Test func errorsAreSticky() throws {
        let fixture = try Fixture(firstSize: 20_000, secondSize: 10)
        var corrupt = try fixture.file("a.gz")
        corrupt[corrupt.count - 8] ^= 0x01
        let sink = CollectingConsumer()
        let consumer = DecompressingConsumer(next: sink)
        #expect(throws: DecompressionError.self) { try StreamFixtures.feed(corrupt, to: consumer, chunkSizes: [1 << 20]) }
        #expect(throws: DecompressionError.corruptGzip(code: -6)) { try consumer.finish() }
        #expect(!sink.finished)
    }

    @Test func errorDescriptionsAreOneLine() {
        let errors: [DecompressionError] = [.corruptGzip(code: -6), .corruptZstd(reason: "x"), .truncated(.zstd),
                                            .trailingGarbage(.gzip), .outOfMemory(.gzip)]
        for error in errors { #expect(!error.description.isEmpty && !error.description.contains("\n")) }
    }
}
