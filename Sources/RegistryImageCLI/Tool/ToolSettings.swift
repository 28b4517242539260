import Concourse
import ImageIO
import OCIModel
import RegistryClient
import ResourceCore

/// Settings shared by the human commands (pull, push, tags).
public struct ToolSettings: Sendable {
    public var username: String?
    public var password: String?
    public var insecure: Bool
    public var caCertificatesPEM: [String]
    public var debug: Bool

    public init(username: String?, password: String?, insecure: Bool, caCertificatesPEM: [String], debug: Bool) {
        self.username = username
        self.password = password
        self.insecure = insecure
        self.caCertificatesPEM = caCertificatesPEM
        self.debug = debug
    }
}
