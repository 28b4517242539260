/// One set of AWS credentials. Printing it never shows the secret or the
/// session token, so it is safe in logs and error texts.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// Where they came from ("source", "environment", "instance profile" …), for logs.
    public var origin: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, origin: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.origin = origin
    }

    public var description: String {
        "access key \(accessKeyID) from \(origin)\(sessionToken == nil ? "" : " (with session token)")"
    }
}
