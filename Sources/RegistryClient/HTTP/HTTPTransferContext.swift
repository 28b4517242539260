import CCurl
import FoundationEssentials

/// State shared with libcurl's C callbacks for one transfer. C callbacks
/// cannot capture, so they receive this object as an unretained pointer;
/// Swift errors cannot cross C frames, so they are stored here and rethrown
/// after `curl_easy_perform` returns.
final class HTTPTransferContext {
    private(set) var head = HTTPResponseHead(status: 0, headers: HTTPHeaders())
    private let decide: (HTTPResponseHead) throws -> HTTPBodyDisposition
    private(set) var disposition: HTTPBodyDisposition?
    private(set) var collected = Data()
    private(set) var error: (any Error)?
    private(set) var bodyTooLarge = false

    init(decide: @escaping (HTTPResponseHead) throws -> HTTPBodyDisposition) {
        self.decide = decide
    }

    /// Called with each header line, CRLF included. A status line starts a new
    /// response (1xx interim replies and a proxy's CONNECT reply come first).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingTrailingWhitespace()
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            head = HTTPResponseHead(status: parts.count > 1 ? Int(parts[1]) ?? 0 : 0, headers: HTTPHeaders())
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingWhitespace()
        let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
        head.headers.append(name: name, value: value)
    }

    /// Returns false to abort the transfer.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let disposition = resolveDisposition() else { return false }
        switch disposition {
        case .collect(let limit):
            if collected.count + bytes.count > limit {
                bodyTooLarge = true
                return false
            }
            collected.append(contentsOf: bytes)
        case .stream(let handler):
            do { try handler(bytes) } catch {
                self.error = error
                return false
            }
        case .collectPrefix(let limit):
            let room = max(0, limit - collected.count)
            collected.append(contentsOf: bytes.prefix(room))
        case .discard:
            break
        }
        return true
    }

    /// Decides once, at the first body byte or after an empty body.
    @discardableResult
    func resolveDisposition() -> HTTPBodyDisposition? {
        if let disposition { return disposition }
        if error != nil { return nil }
        do {
            let decided = try decide(head)
            disposition = decided
            return decided
        } catch {
            self.error = error
            return nil
        }
    }
}

/// `CURLOPT_WRITEFUNCTION`.
let httpBodyCallback: ri_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata else { return 0 }
    let context = Unmanaged<HTTPTransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let buffer else { return 0 }
    return context.receiveBody(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
}

/// `CURLOPT_HEADERFUNCTION`.
let httpHeaderCallback: ri_curl_data_callback = { buffer, size, count, userdata in
    guard let userdata else { return 0 }
    let context = Unmanaged<HTTPTransferContext>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    if length > 0, let buffer {
        context.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length))
    }
    return length
}
