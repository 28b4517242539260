@testable import FastExtract
import Foundation
@testable import OCIModel
import Testing

/// Not a timed assertion: prints how long the pipeline takes on a large blob.
/// Run with FASTEXTRACT_THROUGHPUT_BLOB=/path/to/layer.tar.gz (or .zst).
@Suite struct CompressionThroughputTests {
    static let blob = ProcessInfo.processInfo.environment["FASTEXTRACT_THROUGHPUT_BLOB"]

    /// Counts bytes and does nothing else, so only decoding is measured.
    final class CountingConsumer: BlobConsumer {
        var count: Int64 = 0
        func consume(_ chunk: UnsafeRawBufferPointer) throws { count += Int64(chunk.count) }
        func finish() throws {}
    }

    /// Wall-clock and this thread's CPU seconds (CPU time is steadier on a shared machine).
    private func seconds(_ body: () throws -> Void) rethrows -> String {
        func cpu() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let startCPU = cpu()
        try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return String(format: "%.3f s (caller thread CPU %.3f s)", wall, cpu() - startCPU)
    }

    @Test(.enabled(if: blob != nil)) func measure() throws {
        let path = try #require(Self.blob)
        let digest = try StreamFixtures.sha256sum(path)
        for _ in 0..<2 {
            let counter = CountingConsumer()
            let inflateOnly = try seconds {
                try FileBlobReader.stream(path: path, into: DecompressingConsumer(next: counter))
            }
            let hashed = CountingConsumer()
            let hashAndInflate = try seconds {
                let chain = DigestVerifier(expected: digest, size: nil, next: DecompressingConsumer(next: hashed))
                try FileBlobReader.stream(path: path, into: chain)
            }
            let twoThreads = try seconds {
                let pipeline = LayerPipeline { _, source in
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
                    defer { buffer.deallocate() }
                    while try source.read(into: buffer) > 0 {}
                }
                try FileBlobReader.stream(path: path, into: try pipeline.verifiedLayer(expected: digest, size: nil))
                try pipeline.finish()
            }
            print("throughput \(path): \(counter.count) bytes out; inflate only \(inflateOnly); "
                + "sha256+inflate \(hashAndInflate); pipeline (sha256 thread, inflate → ring → reader) \(twoThreads)")
            #expect(counter.count == hashed.count)
        }
    }
}
