import CCurl

/// Owns one `CURL*` easy handle and the stable error buffer libcurl writes
/// into. A handle keeps its connection cache across `reset()`, so reusing it
/// reuses connections (keep-alive, TLS sessions).
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private static let errorBufferSize = Int(CURL_ERROR_SIZE)

    init?() {
        guard CurlGlobal.ensureInitialized(), let handle = curl_easy_init() else { return nil }
        raw = handle
        errorBuffer = .allocate(capacity: Self.errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: Self.errorBufferSize)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Clears every option (keeping live connections and caches) and installs
    /// the options every transfer needs: the error buffer and no signals.
    func reset() {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
        _ = ri_curl_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
        // Threads: libcurl must not use SIGALRM for DNS timeouts.
        _ = ri_curl_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
    }

    /// curl's own detail for the last failure, or the generic text for `code`.
    func errorText(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer).trimmingTrailingWhitespace()
        if !detail.isEmpty { return detail }
        return String(cString: curl_easy_strerror(code))
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var result = self
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
