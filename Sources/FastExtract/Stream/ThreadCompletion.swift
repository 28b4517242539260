import Foundation

/// A one-shot "the thread is done" flag that can be waited on.
/// `@unchecked`: `done` is only touched under `condition`.
final class ThreadCompletion: @unchecked Sendable {
    private let condition = NSCondition()
    private var done = false

    func signal() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while !done { condition.wait() }
        condition.unlock()
    }
}
