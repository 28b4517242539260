import Foundation
import OCIModel

/// One HTTP exchange to perform. Header values are sent verbatim; the
/// transport never logs them (they may carry credentials).
struct HTTPRequest: Sendable {
    enum Method: String, Sendable {
        case get = "GET", head = "HEAD", put = "PUT", post = "POST", patch = "PATCH"
    }

    var method: Method
    var url: URL
    var headers: [(name: String, value: String)]
    /// A request body sent in one piece (manifests, monolithic uploads).
    var body: Data?
    /// A body streamed as it is sent (blob uploads); used instead of `body` when set.
    var uploadBody: HTTPUploadBody?
    /// Verify the server's certificate and refuse plain http (false only for
    /// registries configured `insecure`).
    var verifyTLS: Bool

    init(method: Method, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
         uploadBody: HTTPUploadBody? = nil, verifyTLS: Bool = true) {
        self.uploadBody = uploadBody
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.verifyTLS = verifyTLS
    }
}
