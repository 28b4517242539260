/// `application/x-www-form-urlencoded` bodies (RFC 3986 unreserved
/// characters kept, everything else percent-encoded).
enum FormBody {
    static let contentType = "application/x-www-form-urlencoded"

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(SigV4Signer.encode($0.0, keepSlash: false))=\(SigV4Signer.encode($0.1, keepSlash: false))" }
            .joined(separator: "&")
    }
}
