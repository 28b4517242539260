import FoundationEssentials

/// How transfer progress is shown on stderr.
public enum ProgressStyle: Sendable, Equatable {
    /// One bar per layer, redrawn in place (`\r`): on a terminal, and under
    /// Concourse, whose build log renders carriage returns as upstream's bars do.
    case bars
    /// A plain line per layer every few seconds and when it ends: logs, pipes.
    case lines
    /// Nothing: debug logging is on and reports each layer itself.
    case off

    /// The style for this process: `debug` wins, then a terminal or Concourse
    /// (which sets `BUILD_ID` / `ATC_EXTERNAL_URL` for get and put steps).
    public static func choose(debug: Bool, standardErrorIsTerminal: Bool, environment: [String: String]) -> ProgressStyle {
        if debug { return .off }
        if standardErrorIsTerminal { return .bars }
        let concourse = ["BUILD_ID", "ATC_EXTERNAL_URL"].contains { !(environment[$0] ?? "").isEmpty }
        return concourse ? .bars : .lines
    }

    /// Seconds between redraws.
    var interval: TimeInterval {
        switch self {
        case .bars: 0.25
        case .lines: 5
        case .off: .infinity
        }
    }
}
