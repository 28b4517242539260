import FoundationEssentials
import Glibc
import OCIModel
import Synchronization

/// Per-layer progress on stderr (see `ProgressStyle`).
///
/// The fetching thread only adds to a counter under a lock; a separate
/// reporter thread draws, so a slow or blocked stderr can never stall or slow
/// the transfer. The reporter exits when no transfer is active and is started
/// again by the next one.
/// `@unchecked`: shared state is guarded by `condition`.
public final class TransferProgress: @unchecked Sendable {
    public let style: ProgressStyle
    private let output: @Sendable (String) -> Void
    private let condition = PosixCondition()
    private var transfers: [Transfer] = []
    private var reporterRunning = false
    private var reporterIdle = true

    /// Chooses the style from `debug`, whether stderr is a terminal, and the environment.
    public convenience init(debug: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(style: ProgressStyle.choose(
            debug: debug, standardErrorIsTerminal: isatty(STDERR_FILENO) == 1, environment: environment))
    }

    /// `enabled: false` is `.off`; otherwise as `init(debug: false)`.
    public convenience init(enabled: Bool) {
        self.init(debug: !enabled)
    }

    public init(style: ProgressStyle, output: @escaping @Sendable (String) -> Void = TransferProgress.standardError) {
        self.style = style
        self.output = output
    }

    @Sendable public static func standardError(_ text: String) {
        StandardStream.writeError(text)
    }

    /// A consumer that counts the bytes passing to `next` into `label`'s progress.
    public func tracking(_ label: String, total: Int64, next: BlobConsumer) -> BlobConsumer {
        guard style != .off else { return next }
        let transfer = Transfer(label: label, total: total)
        condition.lock()
        transfers.append(transfer)
        if !reporterRunning {
            reporterRunning = true
            PosixThread.start(name: "transfer-progress") { [self] in report() }
        }
        condition.unlock()
        return Counter(transfer: transfer, next: next, progress: self)
    }

    /// Waits (at most `timeout`) until every finished transfer's last line is drawn.
    public func flush(timeout: TimeInterval = 1) {
        guard style != .off else { return }
        let deadline = MonotonicInstant.now().advanced(bySeconds: timeout)
        condition.lock()
        defer { condition.unlock() }
        condition.broadcast()
        while reporterRunning, !(reporterIdle && transfers.allSatisfy { !$0.finished }) {
            guard condition.wait(until: deadline) else { return }
        }
    }

    fileprivate func finished(_ transfer: Transfer, completed: Bool) {
        condition.lock()
        transfer.finished = true
        transfer.completed = completed
        condition.broadcast()
        condition.unlock()
    }

    fileprivate func abandon(_ transfer: Transfer) {
        condition.lock()
        let pending = !transfer.finished
        condition.unlock()
        if pending { finished(transfer, completed: false) }
    }

    /// The reporter thread: draws every `interval`, or at once when a transfer ends.
    private func report() {
        var lastDrawn: [ObjectIdentifier: Date] = [:]
        condition.lock()
        while !transfers.isEmpty {
            if !transfers.contains(where: \.finished) {
                _ = condition.wait(until: MonotonicInstant.now().advanced(bySeconds: style.interval))
            }
            let now = Date()
            var text = ""
            for transfer in transfers {
                let id = ObjectIdentifier(transfer)
                if transfer.finished {
                    if transfer.completed { text += draw(transfer, finished: true) }
                    lastDrawn[id] = nil
                } else if now.timeIntervalSince(lastDrawn[id] ?? .distantPast) >= style.interval * 0.9 {
                    text += draw(transfer, finished: false)
                    lastDrawn[id] = now
                }
            }
            transfers.removeAll(where: \.finished)
            guard !text.isEmpty else { continue }
            reporterIdle = false
            condition.unlock()
            output(text)  // outside the lock: a blocked stderr holds up only this thread
            condition.lock()
            reporterIdle = true
            condition.broadcast()
        }
        reporterRunning = false
        condition.broadcast()
        condition.unlock()
    }

    private func draw(_ transfer: Transfer, finished: Bool) -> String {
        let line = ProgressLine.render(
            label: transfer.label, done: transfer.done.load(ordering: .relaxed), total: transfer.total, finished: finished, style: style)
        switch style {
        case .bars: return "\r\u{1B}[K" + line + (finished ? "\n" : "")
        case .lines, .off: return line + "\n"
        }
    }

    /// One blob's counters: `done` is atomic (the fetching thread adds, the
    /// reporter reads); the flags are guarded by the progress's condition lock.
    fileprivate final class Transfer: @unchecked Sendable {
        let label: String
        let total: Int64
        let done = Atomic<Int64>(0)
        var finished = false
        var completed = false

        init(label: String, total: Int64) {
            self.label = label
            self.total = total
        }
    }

    private final class Counter: BlobConsumer {
        let transfer: Transfer
        let next: BlobConsumer
        let progress: TransferProgress

        init(transfer: Transfer, next: BlobConsumer, progress: TransferProgress) {
            self.transfer = transfer
            self.next = next
            self.progress = progress
        }

        deinit {
            // A transfer abandoned on error stops being drawn, without a "done" line.
            progress.abandon(transfer)
        }

        func consume(_ chunk: UnsafeRawBufferPointer) throws {
            try next.consume(chunk)
            transfer.done.add(Int64(chunk.count), ordering: .relaxed)
        }

        func finish() throws {
            try next.finish()
            progress.finished(transfer, completed: true)
        }
    }
}
