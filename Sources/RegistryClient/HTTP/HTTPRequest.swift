import FoundationEssentials

/// One HTTP exchange to perform. Header values are sent verbatim; the
/// transport never logs them (they may carry credentials).
package struct HTTPRequest: Sendable {
    package enum Method: String, Sendable {
        case get = "GET", head = "HEAD", put = "PUT", post = "POST", patch = "PATCH"
    }

    package var method: Method
    package var url: URL
    package var headers: [(name: String, value: String)]
    /// A request body sent in one piece (manifests, monolithic uploads).
    package var body: Data?
    /// A body streamed as it is sent (blob uploads); used instead of `body` when set.
    var uploadBody: HTTPUploadBody?
    /// Verify the server's certificate and refuse plain http (false only for
    /// registries configured `insecure`).
    package var verifyTLS: Bool

    package init(method: Method, url: URL, headers: [(name: String, value: String)] = [],
                 body: Data? = nil, uploadBody: HTTPUploadBody? = nil, verifyTLS: Bool = true) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.uploadBody = uploadBody
        self.verifyTLS = verifyTLS
    }
}
