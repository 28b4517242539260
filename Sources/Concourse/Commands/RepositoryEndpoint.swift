import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

/// One place a repository can be read from: the origin named in `source`, or
/// a Docker Hub mirror. Output always names the origin; only the transport
/// differs.
struct RepositoryEndpoint {
    let label: String
    let client: RegistryClient

    /// The endpoints to try in order: the mirror first when `source` names a
    /// Docker Hub repository and a mirror is configured (other registries
    /// ignore the mirror, as upstream and the docker CLI do), then the origin.
    static func endpoints(
        for source: SourceConfiguration, credentialsOverride: (username: String?, password: String?)? = nil,
        dockerHubOrigin: String = DockerHubOrigin.host(), logger: Logger
    ) throws -> [RepositoryEndpoint] {
        var reference = try SourceReference.repository(of: source)
        var endpoints: [RepositoryEndpoint] = []
        if let mirror = source.registryMirror, reference.isDockerHub {
            let mirrorReference = try SourceReference.onMirror(reference, host: mirror.host)
            let options = RegistryOptionsFactory.options(
                username: mirror.username, password: mirror.password, source: source)
            endpoints.append(RepositoryEndpoint(
                label: "mirror \(mirror.host)",
                client: RegistryClient(reference: mirrorReference, options: options, logger: logger)))
        }
        if reference.isDockerHub { reference.registry = dockerHubOrigin }
        let username = credentialsOverride?.username ?? source.username
        let password = credentialsOverride?.password ?? source.password
        let options = RegistryOptionsFactory.options(username: username, password: password, source: source)
        endpoints.append(RepositoryEndpoint(
            label: reference.registry, client: RegistryClient(reference: reference, options: options, logger: logger)))
        return endpoints
    }
}

/// The host Docker Hub repositories are read from. Always Docker Hub, except
/// that the integration tests, which cannot reach it, may name a local
/// registry in `RI_DOCKER_HUB_REGISTRY_FOR_TESTS` to stand in for it (the way
/// `RI_RETRY_BASE_DELAY_MS` shortens retries). Only the transport changes:
/// the repository keeps counting as Docker Hub, so the mirror still applies.
enum DockerHubOrigin {
    static let testOverrideVariable = "RI_DOCKER_HUB_REGISTRY_FOR_TESTS"

    static func host(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard let host = environment[testOverrideVariable], !host.isEmpty else { return ImageReference.dockerHubRegistry }
        return host
    }
}

/// Registry options derived from a `source` block. Credentials count only
/// when both halves are set, as upstream.
public enum RegistryOptionsFactory {
    static func options(username: String?, password: String?, source: SourceConfiguration) -> RegistryOptions {
        options(username: username, password: password, insecure: source.insecure, caCertificatesPEM: source.caCerts)
    }

    public static func options(
        username: String?, password: String?, insecure: Bool, caCertificatesPEM: [String]
    ) -> RegistryOptions {
        var options = RegistryOptions()
        if let username, let password, !username.isEmpty, !password.isEmpty {
            options.credentials = RegistryCredentials(username: username, password: password)
        }
        options.insecure = insecure
        options.caCertificatesPEM = caCertificatesPEM
        return options
    }
}

/// Parses `source.repository`, which names a repository only.
enum SourceReference {
    static func repository(of source: SourceConfiguration) throws -> ImageReference {
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: source.repository)
        } catch {
            throw RequestError.invalidValue(field: "source.repository", reason: "\(error)")
        }
        guard reference.tag == nil, reference.digest == nil else {
            throw RequestError.invalidValue(
                field: "source.repository",
                reason: "'\(source.repository)' must name a repository without a tag or digest (use source.tag)")
        }
        return reference
    }

    static func onMirror(_ reference: ImageReference, host: String) throws -> ImageReference {
        do {
            return try ImageReference(parsing: "\(host)/\(reference.repository)")
        } catch {
            throw RequestError.invalidValue(field: "source.registry_mirror.host", reason: "\(error)")
        }
    }
}
