import Foundation

/// A fresh directory under the system temp dir, removed with everything in it
/// when the last reference goes away.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(prefix: String = "ri-test") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    public func appending(_ component: String) -> URL { url.appendingPathComponent(component) }

    deinit { try? FileManager.default.removeItem(at: url) }
}
