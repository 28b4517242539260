import Foundation
import Synchronization

/// The one naming rule for results under construction: a hidden sibling
/// `.<name>.partial-<pid>[-<n>]`, so nothing half-written is ever mistaken
/// for a result, and a leftover can be traced to the process that made it.
enum StagingName {
    private static let counter = Atomic<Int>(0)

    static func sibling(of path: String, unique: Bool) -> String {
        let url = URL(fileURLWithPath: path)
        var name = ".\(url.lastPathComponent).partial-\(getpid())"
        if unique { name += "-\(counter.add(1, ordering: .relaxed).newValue)" }
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }
}
