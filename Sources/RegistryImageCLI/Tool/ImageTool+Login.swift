import FoundationEssentials
import ImageIO
import RegistryClient

extension ImageTool {
    /// Checks `credentials` against the registry `argument` names, then
    /// stores them (auth file or credential helper). Returns where they went.
    public static func login(
        _ argument: String, credentials: RegistryCredentials, settings: ToolSettings, verify: Bool = true
    ) throws -> String {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let key = try CredentialStore.key(forLoginArgument: argument)
        guard !credentials.username.isEmpty else { throw CredentialError.missingUsername }
        guard !credentials.password.isEmpty else { throw CredentialError.missingPassword }
        if verify {
            let options = RegistryOptions(credentials: credentials, insecure: settings.insecure,
                                          caCertificatesPEM: settings.caCertificatesPEM)
            let client = RegistryClient(registry: RegistryHost.registryAddress(ofKey: key), repository: "",
                                        options: options, logger: logger)
            try client.verifyCredentials()
        }
        return try settings.credentialStore.login(key: key, credentials: credentials)
    }

    /// Removes the stored credentials for `argument`. Returns where from.
    public static func logout(_ argument: String, settings: ToolSettings) throws -> String {
        try settings.credentialStore.logout(key: try CredentialStore.key(forLoginArgument: argument))
    }

    /// The user name stored for `argument` (skopeo's `login --get-login`).
    public static func storedLogin(_ argument: String, settings: ToolSettings) throws -> String {
        let key = try CredentialStore.key(forLoginArgument: argument)
        let host = RegistryHost.host(ofKey: key)
        let namespace = key.count > host.count ? String(key.dropFirst(host.count + 1)) : nil
        let store = settings.credentialStore
        guard let found = try store.lookup(registry: host, repository: namespace) else {
            throw CredentialError.notLoggedIn(key, path: store.locations.searched.joined(separator: ", "))
        }
        return found.credentials.username
    }
}
