import FoundationEssentials
import Synchronization

/// Registry credentials from cloud logins, kept in this process's memory
/// only (never on disk), so that a process logging in twice with the same
/// identity asks the cloud once. Entries end a minute before the token does.
final class ProcessTokenCache: Sendable {
    static let shared = ProcessTokenCache()

    private struct Entry {
        let result: CloudLoginResult
        let expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])

    func value(for key: String) -> CloudLoginResult? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires <= .now {
                entries[key] = nil
                return nil
            }
            return entry.result
        }
    }

    func store(_ result: CloudLoginResult, for key: String, validFor seconds: Int) {
        let lifetime = Duration.seconds(max(0, seconds - 60))
        entries.withLock { $0[key] = Entry(result: result, expires: .now + lifetime) }
    }
}
