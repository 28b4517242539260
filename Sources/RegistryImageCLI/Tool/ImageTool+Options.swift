import Concourse
import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

extension ImageTool {
    /// Options for talking to `reference`'s registry: explicit credentials
    /// (flags, environment) when given, else the auth files' entry for the
    /// repository, else anonymous.
    static func options(_ settings: ToolSettings, for reference: ImageReference, logger: Logger) throws -> RegistryOptions {
        var options = RegistryOptionsFactory.options(
            username: settings.username, password: settings.password, insecure: settings.insecure,
            caCertificatesPEM: settings.caCertificatesPEM)
        // An empty value (REGISTRY_USERNAME= in a script) counts as unset.
        guard settings.username?.isEmpty ?? true, settings.password?.isEmpty ?? true else { return options }
        if let found = try settings.credentialStore.lookup(registry: reference.registry, repository: reference.repository) {
            logger.debug("credentials for \(reference.registry) (user \(found.credentials.username)) from \(found.origin)")
            options.credentials = found.credentials
        }
        return options
    }

    /// A client for `reference`'s repository with the options above.
    static func registryClient(_ reference: ImageReference, settings: ToolSettings, logger: Logger) throws -> RegistryClient {
        RegistryClient(reference: reference, options: try options(settings, for: reference, logger: logger), logger: logger)
    }

    /// The root `reference` names, by a HEAD: its digest's, else its tag's
    /// (`latest` when none); not found is a `ToolError.notFound`.
    static func headRoot(of reference: ImageReference, with client: RegistryClient) throws -> Descriptor {
        let tag = reference.tag ?? "latest"
        guard let head = try client.headManifest(reference.digest?.description ?? tag) else {
            let name = reference.digest.map { "@\($0)" } ?? ":\(tag)"
            throw ToolError.notFound("\(reference.registry)/\(reference.repository)\(name) does not exist")
        }
        return head
    }
}
