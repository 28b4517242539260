import Concourse
import FoundationEssentials
import OCIModel
import RegistryClient

/// A docker credential helper: the program `docker-credential-NAME` on PATH,
/// spoken to as docker does — the verb as the only argument, the server URL
/// (or a JSON record for `store`) on stdin, JSON on stdout.
public struct CredentialHelper: Sendable {
    public let name: String
    /// Where to look for the program (PATH by default).
    let searchPath: [String]

    /// What helpers print when they hold nothing for a server.
    static let notFoundMessage = "credentials not found in native keychain"

    public init(name: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.name = name
        searchPath = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
    }

    var program: String { "docker-credential-\(name)" }

    /// The credentials stored for `serverURL`, nil when the helper has none.
    public func get(_ serverURL: String) throws(CredentialError) -> RegistryCredentials? {
        let result = try run("get", input: Data(serverURL.utf8))
        guard result.status == 0 else {
            if result.message.contains(Self.notFoundMessage) { return nil }
            throw .helperFailed(name, operation: "get", message: result.message)
        }
        guard let object = JSONAny.parse(result.stdout) as? [String: Any] else {
            throw .helperOutput(name, reason: "something that is not a JSON object")
        }
        guard let username = object["Username"] as? String, let secret = object["Secret"] as? String else {
            throw .helperOutput(name, reason: "no Username or Secret")
        }
        // An empty record is how some helpers say "nothing stored".
        if username.isEmpty && secret.isEmpty { return nil }
        return RegistryCredentials(username: username, password: secret)
    }

    public func store(_ credentials: RegistryCredentials, serverURL: String) throws(CredentialError) {
        let record: [String: String] = ["ServerURL": serverURL, "Username": credentials.username, "Secret": credentials.password]
        let input = Data(JSONAny.serialize(record, sortedKeys: true) ?? [])
        let result = try run("store", input: input)
        guard result.status == 0 else { throw .helperFailed(name, operation: "store", message: result.message) }
    }

    /// Returns whether the helper held credentials for `serverURL`.
    public func erase(_ serverURL: String) throws(CredentialError) -> Bool {
        let result = try run("erase", input: Data(serverURL.utf8))
        guard result.status == 0 else {
            if result.message.contains(Self.notFoundMessage) { return false }
            throw .helperFailed(name, operation: "erase", message: result.message)
        }
        return true
    }

    private struct Result {
        var status: Int32
        var stdout: Data
        /// One short line from the helper's output, for error messages (a
        /// helper's failure output carries no secret).
        var message: String
    }

    private func run(_ verb: String, input: Data) throws(CredentialError) -> Result {
        guard let path = searchPath.map({ "\($0)/\(program)" }).first(where: FileManager.default.isExecutableFile) else {
            throw .helperNotFound(name)
        }
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(path, arguments: [verb], input: Array(input))
        } catch {
            throw .helperFailed(name, operation: verb, message: error.reason)
        }
        let text = String(decoding: outcome.stdout + outcome.stderr, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit status \(outcome.status)"
        return Result(status: outcome.status, stdout: Data(outcome.stdout), message: String(line.prefix(200)))
    }
}
