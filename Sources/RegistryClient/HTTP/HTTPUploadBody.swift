import CCurl
import FoundationEssentials
import OCIModel

/// A request body libcurl pulls from a stream (`ByteSource`) as the socket
/// drains, so an upload holds no more than the stream's own small buffer.
/// At most `length` bytes are taken, sent as `Content-Length`; without one
/// the body goes out with chunked transfer encoding until the stream ends.
///
/// One transfer reads it, once: a stream cannot be rewound after its first
/// byte, so a retry or redirect must restart the upload (`canRewind`).
/// Thread-safety comes from that discipline, hence `@unchecked`.
package final class HTTPUploadBody: @unchecked Sendable {
    let length: Int64?
    private let stream: ByteSource
    private(set) var sent: Int64 = 0
    /// Why the stream could not be read (rethrown by the transport).
    private(set) var failure: (any Error)?

    /// The next `length` bytes of `stream` (all of it when nil).
    init(streaming stream: ByteSource, length: Int64?) {
        self.stream = stream
        self.length = length
    }

    /// Whether the body can be sent from its start (nothing was read yet).
    var canRewind: Bool { sent == 0 }

    /// Copies the next bytes into `buffer`; 0 at the end; nil when the
    /// stream failed or ended early (the transfer is then aborted).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let room = length.map { Int(min(Int64(buffer.count), $0 - sent)) } ?? buffer.count
        guard room > 0, let destination = buffer.baseAddress else { return 0 }
        let count: Int
        do {
            count = try stream.read(into: UnsafeMutableRawBufferPointer(start: destination, count: room))
        } catch {
            failure = error
            return nil
        }
        if count == 0, let length, sent < length {
            failure = HTTPTransferError(
                kind: .fatal, code: -1, message: "the upload body ended after \(sent) of \(length) bytes", url: "")
            return nil
        }
        sent += Int64(count)
        return count
    }
}

/// `CURLOPT_READFUNCTION`: userdata is the `HTTPUploadBody`.
let httpUploadReadCallback: ri_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata, let buffer else { return 0 }
    let body = Unmanaged<HTTPUploadBody>.fromOpaque(userdata).takeUnretainedValue()
    return body.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) ?? Int(CURL_READFUNC_ABORT)
}
