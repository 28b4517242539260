import FoundationEssentials
import OCIModel

/// The text of one transfer's progress: a bar or a plain line.
public struct ProgressLine {
    static let barWidth = 24

    static func render(label: String, done: Int64, total: Int64, finished: Bool, style: ProgressStyle) -> String {
        let amounts = "\(format(done))/\(format(total))"
        switch style {
        case .bars:
            let fraction = total > 0 ? min(1, Double(done) / Double(total)) : (finished ? 1 : 0)
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
            let percent = TextFormatting.padded(Int((fraction * 100).rounded(.down)), width: 3, pad: " ") + "%"
            return "\(label) [\(bar)] \(percent) \(amounts)\(finished ? " done" : "")"
        case .lines, .off:
            return "\(label): \(amounts)\(finished ? " done" : "")"
        }
    }

    public static func format(_ bytes: Int64) -> String {
        let mebibytes = Double(bytes) / 1_048_576
        return mebibytes >= 1
            ? TextFormatting.fixed(mebibytes, decimals: 1) + " MiB" : TextFormatting.fixed(Double(bytes) / 1024, decimals: 1) + " KiB"
    }
}
