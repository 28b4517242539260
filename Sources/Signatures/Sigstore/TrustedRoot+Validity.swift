import FoundationEssentials

extension TrustedRoot.TimeRange {
    /// Whether `time` (seconds since the epoch) lies in the range; an open
    /// end is unbounded, an unreadable end contains nothing.
    func contains(_ time: Int64) -> Bool {
        if let start {
            guard let begin = Self.seconds(start), time >= begin else { return false }
        }
        if let end {
            guard let finish = Self.seconds(end), time <= finish else { return false }
        }
        return true
    }

    /// RFC 3339, with or without fractional seconds (protobuf's Timestamp
    /// JSON). The format style, unlike ISO8601DateFormatter, costs
    /// microseconds, not a millisecond per call.
    static func seconds(_ text: String) -> Int64? {
        guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else {
            return nil
        }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }
}

extension Optional where Wrapped == TrustedRoot.TimeRange {
    /// An absent range means "always".
    func contains(_ time: Int64) -> Bool { self?.contains(time) ?? true }
}

extension TrustedRoot {
    /// The Rekor logs whose key id is `logID`.
    func transparencyLogs(withID logID: Data) -> [TransparencyLogInstance] {
        (tlogs ?? []).filter { $0.logId.keyId.data == logID }
    }
}

/// A UTC time for error lines.
enum SigningTime {
    static func describe(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle())
    }
}
