import FoundationEssentials
import Glibc
import OCIModel

/// AWS Signature Version 4 ("AWS4-HMAC-SHA256") for one service in one
/// region, written over OpenSSL's HMAC-SHA256: no AWS SDK exists for this
/// toolchain. Follows the published algorithm: canonical request, string to
/// sign, derived signing key; the signature goes into `Authorization`.
struct SigV4Signer: Sendable {
    let credentials: AWSCredentials
    let region: String
    let service: String

    /// The headers to send: `headers` plus `Host`, `X-Amz-Date`,
    /// `X-Amz-Security-Token` (with temporary credentials) and `Authorization`.
    func signedHeaders(method: String, url: URL, headers: [(name: String, value: String)], body: [UInt8],
                       date: Date = Date()) -> [(name: String, value: String)] {
        let amzDate = Self.amzDate(date)
        var all = headers
        if !all.contains(where: { $0.name.lowercased() == "host" }) {
            all.append((name: "Host", value: Self.hostHeader(url)))
        }
        all.append((name: "X-Amz-Date", value: amzDate))
        if let token = credentials.sessionToken { all.append((name: "X-Amz-Security-Token", value: token)) }
        let authorization = self.authorization(method: method, url: url, headers: all, body: body, amzDate: amzDate)
        all.append((name: "Authorization", value: authorization))
        return all
    }

    /// The `Authorization` value for a request whose headers already carry
    /// `X-Amz-Date` (= `amzDate`) and every header to be signed.
    func authorization(method: String, url: URL, headers: [(name: String, value: String)], body: [UInt8],
                       amzDate: String) -> String {
        let canonical = Self.canonicalRequest(method: method, url: url, headers: headers, body: body)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(HMACSHA256.sha256Hex(Array(canonical.request.utf8)))"
        var key = HMACSHA256.mac(key: Array("AWS4\(credentials.secretAccessKey)".utf8), message: day)
        for part in [region, service, "aws4_request"] { key = HMACSHA256.mac(key: key, message: part) }
        let signature = HMACSHA256.hex(HMACSHA256.mac(key: key, message: stringToSign))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
    }

    /// The canonical request and its `SignedHeaders` list. Every header given
    /// is signed: names lowercased and sorted, values trimmed with inner runs
    /// of spaces collapsed, repeated names joined with commas.
    static func canonicalRequest(method: String, url: URL, headers: [(name: String, value: String)],
                                 body: [UInt8]) -> (request: String, signedHeaders: String) {
        var grouped: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            grouped[header.name.lowercased(), default: []].append(value.trimmingWhitespace())
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let request = [
            method,
            canonicalPath(url),
            canonicalQuery(url),
            canonicalHeaders,
            signedHeaders,
            HMACSHA256.sha256Hex(body),
        ].joined(separator: "\n")
        return (request, signedHeaders)
    }

    /// The path as sent, each byte outside the unreserved set (and `/`)
    /// encoded once more, as AWS specifies for every service but S3.
    static func canonicalPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        return path.isEmpty ? "/" : encode(path, keepSlash: true)
    }

    /// Query parameters decoded, re-encoded strictly (RFC 3986 unreserved
    /// only) and sorted by name, then value.
    static func canonicalQuery(_ url: URL) -> String {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery,
              !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].percentDecoded ?? String(parts[0])
            let value = parts.count > 1 ? (parts[1].percentDecoded ?? String(parts[1])) : ""
            return (encode(name, keepSlash: false), encode(value, keepSlash: false))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// RFC 3986 percent-encoding with uppercase hex (AWS's `UriEncode`).
    static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += "%" + TextFormatting.hexByte(byte)
            }
        }
        return out
    }

    /// `host[:port]`, the port only when it is not the scheme's default.
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let scheme = url.scheme?.lowercased()
        if (scheme == "https" && port == 443) || (scheme == "http" && port == 80) { return host }
        return "\(host):\(port)"
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var c = tm()
        gmtime_r(&seconds, &c)
        func two(_ value: Int32) -> String { TextFormatting.padded(value, width: 2) }
        return TextFormatting.padded(c.tm_year + 1900, width: 4) + two(c.tm_mon + 1) + two(c.tm_mday)
            + "T" + two(c.tm_hour) + two(c.tm_min) + two(c.tm_sec) + "Z"
    }
}
