import Foundation
import Synchronization

/// Why a test registry could not be started or used.
public enum TestRegistryError: Error, CustomStringConvertible {
    case badLaunchInfo(String)
    case noTokenServer

    public var description: String {
        switch self {
        case .badLaunchInfo(let line): return "test registry launcher printed unreadable info: \(line.prefix(300))"
        case .noTokenServer: return "this test registry has no token server"
        }
    }
}

/// Counters kept by `token_server.py`.
public struct TokenServerStats: Decodable, Sendable {
    public let tokenRequests: Int
    public let granted: Int
    public let denied: Int
    public let lastScopes: [String]
    public let lastAuthorization: Bool
}

/// A real CNCF distribution registry (Debian's `docker-registry`) on a free
/// 127.0.0.1 port with its own temporary storage, started through
/// `Tests/StandIns/registry/launch_registry.py`. The launcher holds the
/// registry (and token server) and removes everything when `stop()` is called,
/// when this object goes away, or when the test process dies (its stdin closes).
public final class TestRegistry: Sendable {
    private struct LaunchInfo: Decodable {
        let workdir: String
        let storage: String
        let host: String
        let port: Int
        let baseURL: String
        let caCertificatePEM: String?
        let caCertificatePath: String?
        let certDirectory: String?
        let username: String?
        let password: String?
        let tokenServerURL: String?
    }

    public let options: TestRegistryOptions
    /// "127.0.0.1:PORT" — what goes into a Concourse `repository`.
    public let url: String
    public let port: Int
    /// "http(s)://127.0.0.1:PORT".
    public let baseURL: URL
    /// Root of the filesystem storage driver.
    public let storageDirectory: URL
    /// PEM of the CA that signed the server certificate (TLS variants only).
    public let caCertificatePEM: String?
    public let caCertificatePath: URL?
    /// A directory holding `ca.crt`, as skopeo's `--cert-dir` wants it.
    public let certDirectory: URL?
    /// Credentials for the basic and token variants.
    public let username: String?
    public let password: String?
    /// "http://127.0.0.1:PORT" of the token server (token variant only); the realm is `/token`.
    public let tokenServerURL: URL?

    /// The launcher's work directory (certificates, config, logs).
    public let workDirectory: URL

    private let helper: HelperProcess

    public var isTLS: Bool { options.tls }
    /// `user:password`, when the registry needs credentials.
    public var credentials: String? { username.flatMap { user in password.map { "\(user):\($0)" } } }

    public init(_ options: TestRegistryOptions = .plain) throws {
        self.options = options
        var arguments: [String] = []
        if options.tls { arguments.append("--tls") }
        for name in options.extraHostNames { arguments += ["--san", name] }
        switch options.auth {
        case .none: break
        case .basic: arguments += ["--auth", "basic"]
        case .token(let anonymousPull):
            arguments += ["--auth", "token"]
            if anonymousPull { arguments.append("--anonymous-pull") }
            if let lifetime = options.tokenLifetime { arguments += ["--token-ttl", String(lifetime)] }
            if let advertised = options.advertisedTokenLifetime {
                arguments += ["--advertised-token-ttl", String(advertised)]
            }
        }
        arguments += ["--username", options.username, "--password", options.password]

        helper = try HelperProcess(script: "registry/launch_registry.py", arguments: arguments)
        let info = try helper.decodeLaunchInfo(LaunchInfo.self)
        url = info.host
        port = info.port
        guard let base = URL(string: info.baseURL) else {
            helper.stop()
            throw TestRegistryError.badLaunchInfo(info.baseURL)
        }
        workDirectory = URL(fileURLWithPath: info.workdir, isDirectory: true)
        baseURL = base
        storageDirectory = URL(fileURLWithPath: info.storage, isDirectory: true)
        caCertificatePEM = info.caCertificatePEM
        caCertificatePath = info.caCertificatePath.map { URL(fileURLWithPath: $0) }
        certDirectory = info.certDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        username = info.username
        password = info.password
        tokenServerURL = info.tokenServerURL.flatMap { URL(string: $0) }
    }

    private static let sharedPlain = Mutex<TestRegistry?>(nil)

    /// One plain registry for the whole test process, started on first use and
    /// gone when the process ends; for tests that each use their own repository.
    public static func shared() throws -> TestRegistry {
        try sharedPlain.withLock { registry in
            if let registry { return registry }
            let started = try TestRegistry(.plain)
            registry = started
            return started
        }
    }

    /// Stops the registry (and token server) and removes its storage. Idempotent.
    public func stop() { helper.stop() }

    /// Where the registry keeps a blob's bytes.
    public func blobDataPath(digest: String) -> URL {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        return storageDirectory.appendingPathComponent(
            "docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data")
    }

    /// Flips one byte in the stored blob so that it no longer matches its digest
    /// (the registry serves it anyway: it does not re-verify on read).
    public func corruptBlob(digest: String, atOffset offset: Int = 0) throws {
        let path = blobDataPath(digest: digest)
        var data = try Data(contentsOf: path)
        guard !data.isEmpty else { return try Data([0]).write(to: path) }
        let index = min(max(offset, 0), data.count - 1)
        data[index] ^= 0xFF
        try data.write(to: path)
    }

    /// Replaces the stored blob's bytes (same length or not) with `bytes`.
    public func replaceBlob(digest: String, with bytes: Data) throws {
        try bytes.write(to: blobDataPath(digest: digest))
    }

    /// Counters of the token server (token variant only).
    public func tokenServerStats() throws -> TokenServerStats {
        guard let tokenServerURL else { throw TestRegistryError.noTokenServer }
        let body = try ExternalCommand.check("curl", ["-sS", "--fail", tokenServerURL.absoluteString + "/__stats"])
        return try JSONDecoder().decode(TokenServerStats.self, from: body)
    }

    /// How many times the token server was asked for a token.
    public func tokenRequestCount() throws -> Int { try tokenServerStats().tokenRequests }

    /// skopeo flags to reach this registry as source ("src") or destination
    /// ("dest"): TLS verification against the generated CA, and credentials.
    public func skopeoFlags(_ role: String, withCredentials: Bool = true) -> [String] {
        var flags: [String] = []
        if let certDirectory {
            flags += ["--\(role)-cert-dir", certDirectory.path]
        } else {
            flags += ["--\(role)-tls-verify=false"]
        }
        if withCredentials, let credentials { flags += ["--\(role)-creds", credentials] }
        return flags
    }

    /// skopeo flags for commands without a role (`skopeo inspect`).
    public func skopeoInspectFlags(withCredentials: Bool = true) -> [String] {
        var flags: [String] = []
        if let certDirectory { flags += ["--cert-dir", certDirectory.path] } else { flags += ["--tls-verify=false"] }
        if withCredentials, let credentials { flags += ["--creds", credentials] }
        return flags
    }

    /// curl flags: CA file for TLS variants (for auth, pass `-u` yourself).
    public var curlTLSFlags: [String] { caCertificatePath.map { ["--cacert", $0.path] } ?? [] }
}
