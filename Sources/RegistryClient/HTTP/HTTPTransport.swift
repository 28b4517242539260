import CCurl
import FoundationEssentials
import OCIModel
import Logging

/// Performs HTTP exchanges over libcurl. Thread-safe: each transfer borrows an
/// easy handle from a pool and returns it afterwards, so concurrent callers
/// each get their own handle and sequential ones reuse connections.
/// `@unchecked`: the idle-handle pool is guarded by `lock`; a handle is used by one caller at a time.
package final class HTTPTransport: @unchecked Sendable {
    package struct Configuration: Sendable {
        package var connectTimeout: Duration
        /// A transfer that receives no byte for this long fails (then retries).
        package var stallTimeout: Duration
        /// The system bundle plus extra anchors, parsed once per process;
        /// nil (no bundle file found) for libcurl's default.
        package var trust: TrustStore?
        package var proxy: ProxySettings
        package var userAgent: String

        package init(connectTimeout: Duration, stallTimeout: Duration, trust: TrustStore?, proxy: ProxySettings,
                     userAgent: String) {
            self.connectTimeout = connectTimeout
            self.stallTimeout = stallTimeout
            self.trust = trust
            self.proxy = proxy
            self.userAgent = userAgent
        }
    }

    let configuration: Configuration
    private let logger: Logger
    private let lock = PosixLock()
    private var idleHandles: [CurlEasyHandle] = []
    private static let maxIdleHandles = 16

    package init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Performs `request` once (no retries, no redirects followed). `decide`
    /// is called with the final status and headers before any body byte.
    package func perform(_ request: HTTPRequest,
                 decide: @escaping (HTTPResponseHead) throws -> HTTPBodyDisposition) throws -> HTTPResponse {
        let handle = try borrowHandle()
        defer { returnHandle(handle) }
        let context = HTTPTransferContext(decide: decide)
        var headerLines = request.headers.map { "\($0.name): \($0.value)" }
        // No `Expect: 100-continue` round trip, and no form Content-Type
        // invented by libcurl for bodies.
        headerLines.append("Expect:")
        if !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headerLines.append("Content-Type:")
        }
        let headerList = CurlHeaderList(headerLines)
        let started = ContinuousClock.now
        let watch = StallWatch(timeout: configuration.stallTimeout)
        let code: CURLcode = withExtendedLifetime((context, headerList, request.uploadBody, watch)) {
            configure(handle, for: request, context: context, headerList: headerList)
            _ = ri_curl_setopt_xferinfo_callback(handle.raw, httpStallCallback)
            _ = ri_curl_setopt_pointer(handle.raw, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(watch).toOpaque())
            _ = ri_curl_setopt_long(handle.raw, CURLOPT_NOPROGRESS, 0)
            return curl_easy_perform(handle.raw)
        }
        let elapsed = ContinuousClock.now - started
        let loggedURL = request.url.redactedForLog

        if let error = context.error ?? request.uploadBody?.failure {
            logger.debug("\(request.method.rawValue) \(loggedURL) aborted after \(elapsed.milliseconds) ms")
            throw error
        }
        if context.bodyTooLarge {
            throw HTTPTransferError(kind: .bodyTooLarge, code: Int32(bitPattern: code.rawValue),
                                    message: "response body larger than the allowed limit", url: loggedURL)
        }
        guard code == CURLE_OK else {
            if watch.fired {
                logger.debug("\(request.method.rawValue) \(loggedURL) stalled after \(elapsed.milliseconds) ms")
                throw HTTPTransferError(kind: .transient, code: Int32(bitPattern: code.rawValue), message: watch.message,
                                        url: loggedURL)
            }
            let message = handle.errorText(for: code)
            logger.debug("\(request.method.rawValue) \(loggedURL) failed after \(elapsed.milliseconds) ms: \(message)")
            throw HTTPTransferError(kind: HTTPTransferError.classify(code, message: message),
                                    code: Int32(bitPattern: code.rawValue), message: message, url: loggedURL)
        }
        // An empty body never reached the write callback: decide now, so a
        // streaming caller can still refuse the status.
        context.resolveDisposition()
        if let error = context.error { throw error }
        logger.debug("\(request.method.rawValue) \(loggedURL) -> \(context.head.status) in \(elapsed.milliseconds) ms")
        return HTTPResponse(status: context.head.status, headers: context.head.headers, body: context.collected,
                            url: request.url)
    }

    private func configure(_ handle: CurlEasyHandle, for request: HTTPRequest, context: HTTPTransferContext,
                           headerList: CurlHeaderList) {
        let curl = handle.raw
        handle.reset()
        _ = ri_curl_setopt_string(curl, CURLOPT_URL, request.url.absoluteString)
        _ = ri_curl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ri_curl_setopt_string(curl, CURLOPT_USERAGENT, configuration.userAgent)
        _ = ri_curl_setopt_pointer(curl, CURLOPT_HTTPHEADER, headerList.pointer)
        // Redirects are followed by the registry client, which decides per
        // hop whether Authorization may be sent.
        _ = ri_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0)
        // Layers arrive at hundreds of MB/s on a local network: larger reads
        // mean 30× fewer recv calls and write callbacks than the 16 KiB default.
        _ = ri_curl_setopt_long(curl, CURLOPT_BUFFERSIZE, 512 * 1024)

        _ = ri_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.milliseconds)
        // Stalls are caught by `StallWatch` (installed by `perform`).

        if request.verifyTLS {
            _ = ri_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 1)
            _ = ri_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 2)
            if let trust = configuration.trust {
                // No CA file or directory of libcurl's own to parse: each TLS
                // context gets the process's shared store instead.
                _ = ri_curl_setopt_pointer(curl, CURLOPT_CAINFO, nil)
                _ = ri_curl_setopt_pointer(curl, CURLOPT_CAPATH, nil)
                _ = ri_curl_setopt_ssl_ctx_callback(curl, installTrustStore)
                _ = ri_curl_setopt_pointer(curl, CURLOPT_SSL_CTX_DATA, Unmanaged.passUnretained(trust).toOpaque())
            }
        } else {
            _ = ri_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 0)
            _ = ri_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 0)
        }

        // An explicit empty proxy stops libcurl from reading the environment
        // itself, so the Go-compatible choice made here is the only one.
        _ = ri_curl_setopt_string(curl, CURLOPT_PROXY, configuration.proxy.proxy(for: request.url) ?? "")
        if let noProxy = configuration.proxy.noProxy {
            _ = ri_curl_setopt_string(curl, CURLOPT_NOPROXY, noProxy)
        }

        configureBody(curl, for: request)

        let userdata = Unmanaged.passUnretained(context).toOpaque()
        _ = ri_curl_setopt_data_callback(curl, CURLOPT_WRITEFUNCTION, httpBodyCallback)
        _ = ri_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, userdata)
        _ = ri_curl_setopt_data_callback(curl, CURLOPT_HEADERFUNCTION, httpHeaderCallback)
        _ = ri_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, userdata)
    }

    /// Method and body: a streamed upload body, a small in-memory one, or none.
    private func configureBody(_ curl: UnsafeMutableRawPointer, for request: HTTPRequest) {
        if let upload = request.uploadBody {
            // UPLOAD pulls the body through the read callback (no copy) and
            // sends Content-Length, or chunked transfer encoding for a stream
            // of unknown length; the custom request sets the method. A larger
            // upload buffer means fewer callbacks and send calls.
            _ = ri_curl_setopt_long(curl, CURLOPT_UPLOAD, 1)
            _ = ri_curl_setopt_offset(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.length ?? -1))
            _ = ri_curl_setopt_long(curl, CURLOPT_UPLOAD_BUFFERSIZE, 256 * 1024)
            _ = ri_curl_setopt_data_callback(curl, CURLOPT_READFUNCTION, httpUploadReadCallback)
            _ = ri_curl_setopt_pointer(curl, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
            _ = ri_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            return
        }
        switch request.method {
        case .get: break
        case .head: _ = ri_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
        case .put, .post, .patch:
            let body = request.body ?? Data()
            _ = ri_curl_setopt_long(curl, CURLOPT_POST, 1)
            _ = ri_curl_setopt_offset(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS copies `POSTFIELDSIZE` bytes at once.
            if body.isEmpty {
                _ = ri_curl_setopt_string(curl, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    _ = ri_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            if request.method != .post {
                _ = ri_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            }
        }
    }

    private func borrowHandle() throws -> CurlEasyHandle {
        let reused: CurlEasyHandle? = lock.withLock { idleHandles.popLast() }
        if let reused { return reused }
        guard let fresh = CurlEasyHandle() else {
            throw HTTPTransferError(kind: .fatal, code: -1, message: "libcurl could not create a handle", url: "")
        }
        return fresh
    }

    private func returnHandle(_ handle: CurlEasyHandle) {
        lock.withLock {
            if idleHandles.count < Self.maxIdleHandles { idleHandles.append(handle) }
        }
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
