import CCurl
import FoundationEssentials
import OCIModel

/// Ends a transfer that has moved no byte (either way) for `timeout`.
/// libcurl's own low-speed limit averages over a sliding window of about 5 s,
/// so it fired up to 6 s late (66 s for a 60 s limit); this watch is fed by
/// the progress callback, which libcurl calls at least once a second, so a
/// stall is caught within a second of the timeout.
final class StallWatch {
    let timeout: Duration
    private var moved: Int64 = -1
    private var lastMove = ContinuousClock.now
    private(set) var fired = false

    init(timeout: Duration) { self.timeout = timeout }

    /// False when the transfer must stop.
    func progress(bytes: Int64) -> Bool {
        let now = ContinuousClock.now
        if bytes != moved {
            moved = bytes
            lastMove = now
            return true
        }
        if now - lastMove >= timeout {
            fired = true
            return false
        }
        return true
    }

    var message: String {
        "the server sent nothing for \(Self.format(timeout)) (stall timeout)"
    }

    private static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000) s" : TextFormatting.fixed(Double(ms) / 1000, decimals: 1) + " s"
    }
}

/// `CURLOPT_XFERINFOFUNCTION`: non-zero aborts the transfer.
let httpStallCallback: ri_curl_xferinfo_callback = { userdata, _, downloaded, _, uploaded in
    guard let userdata else { return 0 }
    let watch = Unmanaged<StallWatch>.fromOpaque(userdata).takeUnretainedValue()
    return watch.progress(bytes: Int64(downloaded) + Int64(uploaded)) ? 0 : 1
}
