import FoundationEssentials

/// The status line and headers of a response, known before its body.
package struct HTTPResponseHead: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
}

/// A completed exchange. `body` holds what was collected: the whole body for
/// `.collect`, nothing for `.stream` (the bytes went to the stream handler).
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: Data
    package var url: URL

    package var isSuccess: Bool { (200..<300).contains(status) }
    var isRedirect: Bool { [301, 302, 303, 307, 308].contains(status) }
}

/// What to do with a response body, decided once the status and headers are in.
package enum HTTPBodyDisposition {
    /// Keep it in memory; fail with `HTTPTransferError.bodyTooLarge` past `limit` bytes.
    case collect(limit: Int)
    /// Hand each chunk to the closure as it arrives; a thrown error aborts the
    /// transfer and is rethrown from `perform` unchanged.
    case stream((UnsafeRawBufferPointer) throws -> Void)
    /// Keep the first `limit` bytes and drop the rest (error bodies).
    case collectPrefix(limit: Int)
    case discard
}
