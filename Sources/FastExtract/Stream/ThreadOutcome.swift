import FoundationEssentials
import OCIModel

/// What a thread ended with (a value or an error, or just "done" for
/// `Void`), recorded once and waited for by another thread.
/// `@unchecked`: `result` is only touched under `condition`.
public final class ThreadOutcome<Value>: @unchecked Sendable {
    private let condition = PosixCondition()
    private var result: Result<Value, any Error>?

    public init() {}

    public func record(_ outcome: Result<Value, any Error>) {
        condition.lock()
        result = outcome
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the outcome is recorded.
    @discardableResult
    public func wait() -> Result<Value, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result { return result }
            condition.wait()
        }
    }
}

extension ThreadOutcome where Value == Void {
    /// The thread is done.
    func signal() { record(.success(())) }
}
