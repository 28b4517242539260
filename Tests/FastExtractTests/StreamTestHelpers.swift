import Foundation
import FastExtract
@testable import OCIModel
import TestSupport
import Testing

/// Fixtures for the stream, compression and hashing suites. Compressed files
/// are made by the system tools (gzip, zstd, python3), never by the code under test.
enum StreamFixtures {
    /// Runs `/bin/sh -c script` and returns its standard output.
    @discardableResult
    static func shell(_ script: String) throws -> Data {
        try ExternalCommand.check("/bin/sh", ["-c", script])
    }

    /// Compressible but not trivial bytes: words of a small vocabulary with numbers, made by Python.
    static func writeSampleData(to path: String, bytes: Int, seed: Int) throws {
        try shell("""
        python3 -c '
        import random, sys
        r = random.Random(\(seed))
        words = [bytes(r.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 9))) for _ in range(500)]
        out = bytearray()
        while len(out) < \(bytes):
            out += r.choice(words) + b" " + str(r.randint(0, 99999)).encode() + (b"\\n" if r.random() < 0.1 else b" ")
        sys.stdout.buffer.write(bytes(out[:\(bytes)]))
        ' > '\(path)'
        """)
    }

    static func sha256sum(_ path: String) throws -> Digest {
        let output = String(decoding: try shell("sha256sum '\(path)'"), as: UTF8.self)
        return Digest(sha256Hex: String(output.prefix(64)))
    }

    static func contents(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Feeds `bytes` to `consumer` in chunks whose sizes follow `sizes` (cycled), then finishes.
    static func feed(_ bytes: [UInt8], to consumer: BlobConsumer, chunkSizes sizes: [Int], finish: Bool = true) throws {
        var offset = 0
        var index = 0
        try bytes.withUnsafeBytes { all in
            while offset < all.count {
                let count = min(sizes[index % sizes.count], all.count - offset)
                index += 1
                try consumer.consume(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)]))
                offset += count
            }
        }
        if finish { try consumer.finish() }
    }

    /// Random chunk sizes from 1 byte to 64 KiB, with plenty of tiny ones.
    static func randomChunkSizes(count: Int = 64) -> [Int] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: 1
            case 1: Int.random(in: 2...7, using: &generator)
            case 2: Int.random(in: 8...4096, using: &generator)
            default: Int.random(in: 4097...65536, using: &generator)
            }
        }
    }
}

/// Keeps every byte it is given.
final class CollectingConsumer: BlobConsumer {
    private(set) var bytes: [UInt8] = []
    private(set) var finished = false

    func consume(_ chunk: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: chunk) }
    func finish() throws { finished = true }
}

/// Counts and hashes what it is given, without keeping it.
final class DigestRecorder: BlobConsumer {
    private let hasher = SHA256Hasher()
    private(set) var count: Int64 = 0
    private(set) var digest: Digest?

    func consume(_ chunk: UnsafeRawBufferPointer) throws {
        hasher.update(chunk)
        count += Int64(chunk.count)
    }

    func finish() throws { digest = hasher.finalize() }
}

/// Reads a ByteSource to its end with reads of `readSize`, hashing what arrives.
func hashAll(_ source: ByteSource, readSize: Int = 64 * 1024) throws -> (digest: Digest, count: Int64) {
    let hasher = SHA256Hasher()
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
    defer { buffer.deallocate() }
    var count: Int64 = 0
    while true {
        let read = try source.read(into: buffer)
        if read == 0 { break }
        hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<read]))
        count += Int64(read)
    }
    return (hasher.finalize(), count)
}

struct TestFailure: Error, Equatable, CustomStringConvertible {
    let name: String
    var description: String { "test failure \(name)" }
}

extension LayerPipeline {
    /// The next layer behind a verifier, as the rootfs destination's transfer puts it.
    func verifiedLayer(expected: Digest, size: Int64?) throws -> DigestVerifier {
        DigestVerifier(expected: expected, size: size, next: try layer())
    }
}
