import CCurl

/// A transfer that produced no complete HTTP response.
package struct HTTPTransferError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// The peer's certificate or the TLS handshake was refused. Never a
        /// reason to retry or to fall back to plain http.
        case tls
        /// An https request reached a server that answered in plain HTTP.
        case serverDoesNotSpeakTLS
        /// Connection refused / reset / dropped, timeouts: worth retrying.
        case transient
        /// Anything else (bad URL, name resolution, out of memory…).
        case fatal
        /// The body exceeded the collection limit.
        case bodyTooLarge
    }

    package var kind: Kind
    var code: Int32
    var message: String
    /// The URL as safe to print (query values redacted).
    var url: String

    package var description: String { "\(url): \(message)" }

    static func classify(_ code: CURLcode, message: String) -> Kind {
        switch code {
        case CURLE_SSL_CONNECT_ERROR:
            // OpenSSL reports a plain-HTTP reply to a ClientHello as a record
            // it cannot parse; anything else is a real TLS failure.
            let lower = message.lowercased()
            if lower.contains("wrong version number") || lower.contains("packet length too long")
                || lower.contains("http request") {
                return .serverDoesNotSpeakTLS
            }
            return .tls
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls
        case CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_GOT_NOTHING, CURLE_SEND_ERROR,
             CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3,
             CURLE_QUIC_CONNECT_ERROR:
            return .transient
        case CURLE_SEND_FAIL_REWIND:
            // A dropped connection in the middle of a streamed upload body,
            // which libcurl cannot resend: the caller starts the blob over.
            return .transient
        default:
            return .fatal
        }
    }
}
