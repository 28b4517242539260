import CCurl
import Foundation
import OCIModel

/// A request body libcurl pulls as it sends, so an upload never needs a
/// second copy of its bytes. `length` goes out as `Content-Length`.
///
/// One transfer reads it at a time; `rewind()` starts it again for a retry or
/// a redirect. Thread-safety comes from that discipline, hence `@unchecked`.
final class HTTPUploadBody: @unchecked Sendable {
    let length: Int64
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    /// `bytes` must stay valid and unchanged for as long as this body is used.
    init(borrowing bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.length = Int64(bytes.count)
    }

    func rewind() { offset = 0 }

    /// Copies the next bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0, let destination = buffer.baseAddress, let source = bytes.baseAddress else { return 0 }
        destination.copyMemory(from: source + offset, byteCount: count)
        offset += count
        return count
    }
}

/// `CURLOPT_READFUNCTION`: userdata is the `HTTPUploadBody`.
let httpUploadReadCallback: ri_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata, let buffer else { return 0 }
    let body = Unmanaged<HTTPUploadBody>.fromOpaque(userdata).takeUnretainedValue()
    return body.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}
