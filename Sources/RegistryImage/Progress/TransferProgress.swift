import FastExtract
import Foundation

/// Reports per-blob progress on stderr: a line rewritten in place on a
/// terminal, otherwise a plain line every few seconds and one at the end.
/// Silent when debug logging is on (debug lines replace it). Writes are cheap
/// and rate-limited so they never slow the transfer.
public final class TransferProgress: @unchecked Sendable {
    private let enabled: Bool
    private let interactive: Bool
    private let lock = NSLock()
    private let interval: TimeInterval

    public init(enabled: Bool) {
        self.enabled = enabled
        self.interactive = isatty(STDERR_FILENO) == 1
        self.interval = interactive ? 0.2 : 5
    }

    /// A consumer that counts bytes into a progress line for `label`.
    public func tracking(_ label: String, total: Int64, next: BlobConsumer) -> BlobConsumer {
        guard enabled else { return next }
        return Counter(label: label, total: total, next: next, progress: self)
    }

    fileprivate func report(label: String, done: Int64, total: Int64, final: Bool) {
        let line = "\(label): \(Self.format(done))/\(Self.format(total))\(final ? " done" : "")"
        lock.lock()
        defer { lock.unlock() }
        if interactive {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)\(final ? "\n" : "")".utf8))
        } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }

    static func format(_ bytes: Int64) -> String {
        let mebibytes = Double(bytes) / 1_048_576
        return mebibytes >= 1 ? String(format: "%.1f MiB", mebibytes) : String(format: "%.1f KiB", Double(bytes) / 1024)
    }

    private final class Counter: BlobConsumer {
        let label: String
        let total: Int64
        let next: BlobConsumer
        let progress: TransferProgress
        var done: Int64 = 0
        var lastReport = Date.distantPast

        init(label: String, total: Int64, next: BlobConsumer, progress: TransferProgress) {
            self.label = label
            self.total = total
            self.next = next
            self.progress = progress
        }

        func consume(_ chunk: UnsafeRawBufferPointer) throws {
            try next.consume(chunk)
            done += Int64(chunk.count)
            let now = Date()
            if now.timeIntervalSince(lastReport) >= progress.interval {
                lastReport = now
                progress.report(label: label, done: done, total: total, final: false)
            }
        }

        func finish() throws {
            try next.finish()
            progress.report(label: label, done: done, total: total, final: true)
        }
    }
}
