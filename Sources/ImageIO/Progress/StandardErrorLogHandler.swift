import FoundationEssentials
import Logging
import OCIModel

/// Writes log lines to stderr (stdout carries the Concourse response). Info
/// lines read as plain sentences; other levels are prefixed with the level.
public struct StandardErrorLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    public init(level: Logger.Level) { self.logLevel = level }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let prefix = event.level == .info || event.level == .notice ? "" : "\(event.level): "
        StandardStream.writeError("\(prefix)\(event.message)\n")
    }

    /// A logger for one run: debug lines only when the user asked for them.
    public static func logger(debug: Bool) -> Logger {
        Logger(label: "registry-image") { _ in StandardErrorLogHandler(level: debug ? .debug : .info) }
    }
}
