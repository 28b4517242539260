import FoundationEssentials
import OCIModel
import RegistryClient

/// STS `AssumeRole` (signed with the caller's credentials) and
/// `AssumeRoleWithWebIdentity` (unsigned: the web identity token is the
/// proof) over the Query protocol (form POST, XML answer).
struct STSClient {
    let endpoint: URL
    let region: String
    let http: CloudHTTPClient

    func assumeRole(_ roleARN: String, with credentials: AWSCredentials, sessionName: String,
                    externalID: String? = nil) throws(CloudAuthError) -> AWSCredentials {
        var parameters = [("Action", "AssumeRole"), ("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let externalID { parameters.append(("ExternalId", externalID)) }
        return try call(parameters, signedWith: credentials, what: "STS AssumeRole \(roleARN)",
                        origin: "assumed role \(roleARN)")
    }

    func assumeRoleWithWebIdentity(_ roleARN: String, token: String, sessionName: String) throws(CloudAuthError)
        -> AWSCredentials {
        try call([("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", roleARN), ("RoleSessionName", sessionName),
                  ("WebIdentityToken", token)],
                 signedWith: nil, what: "STS AssumeRoleWithWebIdentity \(roleARN)",
                 origin: "web identity role \(roleARN)")
    }

    /// A session name the SDKs would accept (2–64 of `[\w+=,.@-]`).
    static func sessionName() -> String { "registry-image-\(Int(Date().timeIntervalSince1970))" }

    private func call(_ parameters: [(String, String)], signedWith credentials: AWSCredentials?, what: String,
                      origin: String) throws(CloudAuthError) -> AWSCredentials {
        let body = Array(FormBody.encode(parameters + [("Version", "2011-06-15")]).utf8)
        let url = endpoint.path.isEmpty ? endpoint.appendingPathComponent("") : endpoint
        var headers = [(name: "Content-Type", value: FormBody.contentType + "; charset=utf-8")]
        if let credentials {
            headers = SigV4Signer(credentials: credentials, region: region, service: "sts")
                .signedHeaders(method: "POST", url: url, headers: headers, body: body)
        }
        let response = try http.send(HTTPRequest(method: .post, url: url, headers: headers, body: Data(body)), what: what)
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.isSuccess else {
            throw .refused(what: what, status: response.status, detail: AWSErrorBody.summary(text))
        }
        guard let id = XMLText.first("AccessKeyId", in: text), let secret = XMLText.first("SecretAccessKey", in: text),
              let token = XMLText.first("SessionToken", in: text) else {
            throw .badResponse(what: what, reason: "no Credentials in the answer")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token, origin: origin)
    }
}

/// The text of simple XML elements, enough for STS answers and AWS error
/// bodies (no attributes or nesting needed; entities decoded).
enum XMLText {
    static func first(_ element: String, in text: String) -> String? {
        guard let open = text.firstRange(of: "<\(element)>"),
              let close = text[open.upperBound...].firstRange(of: "</\(element)>") else { return nil }
        return decode(String(text[open.upperBound..<close.lowerBound])).trimmingWhitespace(newlines: true)
    }

    static func decode(_ text: String) -> String {
        text.replacing("&lt;", with: "<").replacing("&gt;", with: ">")
            .replacing("&quot;", with: "\"").replacing("&apos;", with: "'")
            .replacing("&amp;", with: "&")
    }
}

/// `Code: Message` of an AWS error answer (XML for the Query protocol, JSON
/// `__type`/`message` for JSON 1.1), else a bounded snippet.
enum AWSErrorBody {
    static func summary(_ text: String) -> String {
        if let code = XMLText.first("Code", in: text) {
            let message = XMLText.first("Message", in: text)
            return message.map { "\(code): \($0)" } ?? code
        }
        if let object = try? JSONDecoder().decode(JSONErrorFields.self, from: Data(text.utf8)) {
            let type = object.type.map { String($0.split(separator: "#").last ?? Substring($0)) }
            let message = object.message ?? object.capitalizedMessage
            switch (type, message) {
            case let (type?, message?): return "\(type): \(message)"
            case let (type?, nil): return type
            case let (nil, message?): return message
            default: break
            }
        }
        return ResponseSnippet.of(Data(text.utf8))
    }

    /// The string members of a JSON 1.1 error object (others read as absent).
    private struct JSONErrorFields: Decodable {
        let type: String?
        let message: String?
        let capitalizedMessage: String?

        private enum Keys: String, CodingKey {
            case type = "__type", message, capitalizedMessage = "Message"
        }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Keys.self)
            type = try? object.decodeIfPresent(String.self, forKey: .type)
            message = try? object.decodeIfPresent(String.self, forKey: .message)
            capitalizedMessage = try? object.decodeIfPresent(String.self, forKey: .capitalizedMessage)
        }
    }
}
