import Concourse
import FoundationEssentials
import Glibc
import OCIModel
import RegistryClient

/// One auth file in the format docker and the containers tools (podman,
/// skopeo, buildah) share: `{"auths": {KEY: {"auth": base64("user:password")}},
/// "credHelpers": {HOST: NAME}, "credsStore": NAME}`. Keys other tools wrote
/// (and keys this tool does not know) are kept untouched when the file is
/// rewritten.
public struct AuthFile {
    public let path: String
    /// The whole document; only `auths` is edited.
    private var document: [String: Any]

    /// What the file says about one registry.
    public enum Entry: Equatable {
        case credentials(RegistryCredentials)
        /// Ask `docker-credential-NAME` (from `credHelpers` or `credsStore`).
        case helper(String)
    }

    /// Reads `path`; a missing file is an empty one (login creates it).
    public static func load(_ path: String) throws(CredentialError) -> AuthFile {
        guard FileManager.default.fileExists(atPath: path) else { return AuthFile(path: path, document: [:]) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path, reason: FileErrorText.reason(error))
        }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) {
            return AuthFile(path: path, document: [:])
        }
        guard let document = JSONAny.parse(data) as? [String: Any] else {
            throw .unreadableFile(path, reason: "not a JSON object")
        }
        if let auths = document["auths"], !(auths is [String: Any]) {
            throw .unreadableFile(path, reason: "\"auths\" is not an object")
        }
        return AuthFile(path: path, document: document)
    }

    private init(path: String, document: [String: Any]) {
        self.path = path
        self.document = document
    }

    private var auths: [String: Any] { document["auths"] as? [String: Any] ?? [:] }

    /// The entry for the first of `keys` (most specific first) the file
    /// names. A `credHelpers` entry for the host outranks `auths`, as in
    /// docker; `credsStore` applies to every host without its own helper.
    public func entry(keys: [String], host: String) throws(CredentialError) -> Entry? {
        if let name = ownHelper(for: host) { return .helper(name) }
        for key in keys {
            guard let value = matching(key, in: auths) as? [String: Any] else { continue }
            if let encoded = value["auth"] as? String, !encoded.isEmpty {
                return .credentials(try Self.decode(encoded, key: key, path: path))
            }
        }
        if let store = document["credsStore"] as? String, !store.isEmpty { return .helper(store) }
        return nil
    }

    /// The stored key that means `key`: the same text, or the same host
    /// written as a URL (`https://index.docker.io/v1/`, `http://host/v2/`).
    private func matching(_ key: String, in auths: [String: Any]) -> Any? {
        if let exact = auths[key] { return exact }
        for (stored, value) in auths where RegistryHost.normalised(stored) == key { return value }
        return nil
    }

    /// Names `key` with `credentials`, replacing every spelling of it.
    public mutating func store(_ credentials: RegistryCredentials, key: String) {
        var auths = removing(key, from: self.auths)
        auths[key] = ["auth": Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()]
        document["auths"] = auths
    }

    /// Removes every spelling of `key`; returns whether there was one.
    public mutating func remove(key: String) -> Bool {
        let before = auths
        let after = removing(key, from: before)
        document["auths"] = after
        return after.count != before.count
    }

    /// The helper `credHelpers` names for `host`, or `credsStore`.
    public func helper(for host: String) -> String? {
        if let name = ownHelper(for: host) { return name }
        if let store = document["credsStore"] as? String, !store.isEmpty { return store }
        return nil
    }

    private func ownHelper(for host: String) -> String? {
        guard let helpers = document["credHelpers"] as? [String: Any] else { return nil }
        for key in [host] + RegistryHost.aliases(of: host) {
            if let name = helpers[key] as? String, !name.isEmpty { return name }
        }
        return nil
    }

    private func removing(_ key: String, from auths: [String: Any]) -> [String: Any] {
        auths.filter { stored, _ in stored != key && RegistryHost.normalised(stored) != key }
    }

    /// Writes the file with mode 0600 (it holds passwords), through a
    /// temporary name so a reader never sees half of it; creates its
    /// directory (0700) when missing.
    public func write() throws(CredentialError) {
        guard let data = JSONAny.serialize(document, pretty: true, sortedKeys: true) else {
            throw .unwritableFile(path, reason: "the document holds a value that is not JSON")
        }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .unwritableFile(path, reason: FileErrorText.reason(error))
            }
        }
        let temporary = "\(path).partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .unwritableFile(path, reason: String(cString: strerror(errno))) }
        var bytes = Array(data)
        bytes.append(0x0a)
        var written = 0
        var failure: String?
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            written += n
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw .unwritableFile(path, reason: failure)
        }
    }

    /// `auth` is base64 of `user:password`; the password may hold colons.
    static func decode(_ encoded: String, key: String, path: String) throws(CredentialError) -> RegistryCredentials {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else {
            throw .malformedEntry(key, path: path)
        }
        return RegistryCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}
