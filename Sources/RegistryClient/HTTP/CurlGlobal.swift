import CCurl

/// libcurl's process-wide initialisation, done once before the first handle.
/// `curl_global_init` is not thread-safe itself; a `static let` runs its
/// initialiser exactly once, whichever thread gets there first.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32)) == CURLE_OK
    }()

    static func ensureInitialized() -> Bool { initialized }
}
