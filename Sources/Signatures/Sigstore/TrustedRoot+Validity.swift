import Foundation

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

    /// RFC 3339, with or without fractional seconds (protobuf's Timestamp JSON).
    static func seconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970.rounded(.down)) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
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
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
