import Foundation
import ImageIO
import OCIModel
import RegistryClient
import TestSupport
import Testing

/// Progress on stderr: bars under Concourse (and on a terminal), plain lines
/// otherwise, nothing with `debug`; and a blocked stderr never stalls a fetch.
@Suite("Progress", .serialized)
struct ShipProgressTests {
    static let image = ImageSpec(
        tag: "v1",
        layers: [
            LayerSpec([.randomFile("a", size: 300_000, seed: "p1")]),
            LayerSpec([.randomFile("b", size: 200_000, seed: "p2")], compression: .zstd),
        ])

    static func fetch(debug: Bool, environment: [String: String]) throws -> CommandResult {
        let registry = try TestRegistry(.plain)
        defer { registry.stop() }
        let digest = try push(Self.image, to: registry, repository: "progress/app").manifestDigest
        let destination = try TemporaryDirectory(prefix: "progress")
        let result = try ResourceRunner.run(
            ["in", destination.path],
            request: ResourceRunner.inRequest(repository: "\(registry.url)/progress/app", digest: digest, source: ["debug": debug]),
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return result
    }

    static func doneLines(_ stderr: String) -> [Substring] {
        stderr.replacingOccurrences(of: "\u{1B}[K", with: "").split(whereSeparator: { $0 == "\n" || $0 == "\r" }).filter { $0.hasPrefix("layer ") && $0.hasSuffix(" done") }
    }

    @Test func plainLinesWhenNotATerminal() throws {
        let result = try Self.fetch(debug: false, environment: ["BUILD_ID": "", "ATC_EXTERNAL_URL": ""])
        let done = Self.doneLines(result.stderr)
        #expect(done.count == 2, "\(result.stderr)")
        #expect(done.first?.hasPrefix("layer 1/2 ") == true)
        #expect(done.last?.hasPrefix("layer 2/2 ") == true)
        #expect(!result.stderr.contains("\r"))
        #expect(!result.stderr.contains("[#"))
    }

    @Test func barsUnderConcourse() throws {
        let result = try Self.fetch(debug: false, environment: ["BUILD_ID": "42", "ATC_EXTERNAL_URL": "https://ci.example"])
        let done = Self.doneLines(result.stderr)
        #expect(done.count == 2, "\(result.stderr)")
        #expect(done.allSatisfy { $0.contains("[########################] 100%") }, "\(done)")
        #expect(result.stderr.contains("\r\u{1B}[K"))
    }

    @Test func debugLogsInsteadOfProgress() throws {
        let result = try Self.fetch(debug: true, environment: ["BUILD_ID": "42"])
        #expect(Self.doneLines(result.stderr) == [], "\(result.stderr)")
        #expect(!result.stderr.contains("[#"))
        #expect(!result.stderr.isEmpty)  // debug logs are there instead
    }

    @Test func styleChoice() {
        #expect(ProgressStyle.choose(debug: true, standardErrorIsTerminal: true, environment: ["BUILD_ID": "1"]) == .off)
        #expect(ProgressStyle.choose(debug: false, standardErrorIsTerminal: true, environment: [:]) == .bars)
        #expect(ProgressStyle.choose(debug: false, standardErrorIsTerminal: false, environment: ["ATC_EXTERNAL_URL": "x"]) == .bars)
        #expect(ProgressStyle.choose(debug: false, standardErrorIsTerminal: false, environment: [:]) == .lines)
    }

    final class Sink: BlobConsumer {
        var bytes = 0
        var finished = false
        func consume(_ chunk: UnsafeRawBufferPointer) throws { bytes += chunk.count }
        func finish() throws { finished = true }
    }

    @Test func blockedStderrNeverStallsTheTransfer() throws {
        let gate = DispatchSemaphore(value: 0)
        let progress = TransferProgress(style: .bars) { _ in gate.wait() }  // an output that never returns
        defer { gate.signal() }
        let chunk = [UInt8](repeating: 7, count: 1 << 16)
        let started = ContinuousClock.now
        for layer in 0..<3 {
            let sink = Sink()
            let counter = progress.tracking("layer \(layer)", total: Int64(chunk.count * 2000), next: sink)
            for _ in 0..<2000 {
                try chunk.withUnsafeBytes { try counter.consume($0) }
            }
            try counter.finish()
            #expect(sink.bytes == chunk.count * 2000)
            #expect(sink.finished)
        }
        progress.flush(timeout: 0.2)  // gives up: the reporter is stuck, the caller is not
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
