import CCrypto
import CCurl
import FoundationEssentials
import OCIModel
import Synchronization

/// The CA certificates of one trust bundle, read and parsed once per process
/// on the first TLS handshake that needs them and shared by every libcurl handle.
/// Left to itself, libcurl parses the whole bundle (~140 certificates,
/// ~40 ms of CPU) for each handle, and a blob prefetch, parallel uploads and
/// token hosts each use a handle of their own; a plain-http registry never
/// needs it at all. Installed by `HTTPTransport` through
/// `CURLOPT_SSL_CTX_FUNCTION`, with libcurl's own CA file and directory unset.
///
/// `@unchecked`: `store` is built and read under `lock`; once built, an
/// `X509_STORE` is safe to verify with from several threads (OpenSSL locks it).
package final class TrustStore: @unchecked Sendable {
    private let sources: TrustAnchors.Sources
    private let lock = PosixLock()
    private var parsed = false
    private var store: OpaquePointer?

    private static let bySources = Mutex<[TrustAnchors.Sources: TrustStore]>([:])

    /// The one store for `sources` in this process.
    static func shared(_ sources: TrustAnchors.Sources) -> TrustStore {
        bySources.withLock { stores in
            if let existing = stores[sources] { return existing }
            let store = TrustStore(sources: sources)
            stores[sources] = store
            return store
        }
    }

    private init(sources: TrustAnchors.Sources) {
        self.sources = sources
    }

    deinit {
        if let store { X509_STORE_free(store) }
    }

    /// The parsed store, or nil when the bundle holds no certificate.
    func x509Store() -> OpaquePointer? {
        lock.withLock {
            if !parsed {
                parsed = true
                store = Self.parse(sources.bundle())
            }
            return store
        }
    }

    private static func parse(_ pem: Data) -> OpaquePointer? {
        guard let store = X509_STORE_new() else { return nil }
        var added = 0
        pem.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, let bio = BIO_new_mem_buf(base, Int32(clamping: bytes.count)) else { return }
            defer { BIO_free(bio) }
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                if X509_STORE_add_cert(store, certificate) == 1 { added += 1 }
                X509_free(certificate)
            }
        }
        // The bundle's end ("no start line") and any duplicate leave errors in
        // this thread's queue, which libcurl would report as its own.
        ERR_clear_error()
        guard added > 0 else {
            X509_STORE_free(store)
            return nil
        }
        // What libcurl sets on the store it builds itself: an intermediate in
        // the bundle is a trust anchor (as in Go), trusted certificates first.
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN) | UInt(X509_V_FLAG_TRUSTED_FIRST))
        return store
    }
}

/// libcurl's hook into each new TLS context: the transfer's shared store
/// replaces the (empty) one libcurl made. Without a store the handshake
/// fails: nothing is ever verified against an empty set.
let installTrustStore: ri_curl_ssl_ctx_callback = { _, sslContext, userdata in
    guard let sslContext, let userdata else { return CURLE_SSL_CACERT_BADFILE }
    let trust = Unmanaged<TrustStore>.fromOpaque(userdata).takeUnretainedValue()
    guard let store = trust.x509Store() else { return CURLE_SSL_CACERT_BADFILE }
    SSL_CTX_set1_cert_store(OpaquePointer(sslContext), store)
    return CURLE_OK
}
