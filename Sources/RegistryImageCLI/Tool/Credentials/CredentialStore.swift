import FoundationEssentials
import OCIModel
import RegistryClient

/// Credentials the way the container ecosystem keeps them, for the by-hand
/// commands only (the Concourse commands take theirs from `source`): looked
/// up in the auth files, stored by `login`, removed by `logout`.
public struct CredentialStore: Sendable {
    public let locations: AuthFileLocations
    let environment: [String: String]

    public init(locations: AuthFileLocations, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.locations = locations
        self.environment = environment
    }

    /// Credentials found and where they came from (for a debug line; never the secret).
    public struct Found: Sendable, Equatable {
        public var credentials: RegistryCredentials
        public var origin: String
    }

    /// The credentials for a repository on `registry`, nil when no file names it.
    public func lookup(registry: String, repository: String?) throws(CredentialError) -> Found? {
        let keys = RegistryHost.keys(registry: registry, repository: repository)
        let host = RegistryHost.canonical(registry)
        for path in locations.searched {
            switch try AuthFile.load(path).entry(keys: keys, host: host) {
            case .credentials(let credentials)?:
                return Found(credentials: credentials, origin: path)
            case .helper(let name)?:
                let helper = CredentialHelper(name: name, environment: environment)
                if let credentials = try helper.get(RegistryHost.helperServerURL(host)) {
                    return Found(credentials: credentials, origin: "docker-credential-\(name) (named in \(path))")
                }
            case nil:
                continue
            }
        }
        return nil
    }

    /// Stores credentials for `key` (a host, or host/namespace) in the target
    /// file, or through the helper that file names for the host. Returns
    /// where they went.
    @discardableResult
    public func login(key: String, credentials: RegistryCredentials) throws(CredentialError) -> String {
        var file = try AuthFile.load(locations.target)
        let host = RegistryHost.host(ofKey: key)
        if let name = file.helper(for: host), key == host {
            try CredentialHelper(name: name, environment: environment)
                .store(credentials, serverURL: RegistryHost.helperServerURL(host))
            // No password stays in the file beside the helper's copy.
            if file.remove(key: key) { try file.write() }
            return "docker-credential-\(name)"
        }
        file.store(credentials, key: locations.storedKey(key, in: file.path))
        try file.write()
        return file.path
    }

    /// Removes `key`'s credentials from the target file (and its helper).
    @discardableResult
    public func logout(key: String) throws(CredentialError) -> String {
        var file = try AuthFile.load(locations.target)
        let host = RegistryHost.host(ofKey: key)
        var removed = file.remove(key: key)
        if removed { try file.write() }
        var origin = file.path
        if let name = file.helper(for: host), key == host {
            if try CredentialHelper(name: name, environment: environment).erase(RegistryHost.helperServerURL(host)) {
                removed = true
                origin = "docker-credential-\(name)"
            }
        }
        guard removed else { throw .notLoggedIn(key, path: file.path) }
        return origin
    }

    /// A login argument (`host[:port]`, `host/namespace`, or a URL) as an
    /// auth-file key.
    public static func key(forLoginArgument text: String) throws(CredentialError) -> String {
        let key = RegistryHost.normalised(text.trimmingWhitespace())
        let host = RegistryHost.host(ofKey: key)
        guard !host.isEmpty, ImageReference.isValidHost(host) else { throw .invalidHost(text) }
        let namespace = key.dropFirst(host.count).drop { $0 == "/" }
        if !namespace.isEmpty, !ImageReference.isValidRepository(String(namespace)) { throw .invalidHost(text) }
        return key
    }
}
