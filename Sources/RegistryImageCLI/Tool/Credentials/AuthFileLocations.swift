import FoundationEssentials

/// Which auth files the by-hand commands read and which one `login` writes,
/// in the order the container tools use: `--authfile` or `$REGISTRY_AUTH_FILE`
/// alone when given; otherwise `${XDG_RUNTIME_DIR}/containers/auth.json`
/// (podman's and skopeo's), then docker's `config.json`
/// (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`).
public struct AuthFileLocations: Sendable, Equatable {
    /// Read in this order; the first file with an entry for the registry wins.
    public var searched: [String]
    /// Where `login` and `logout` write.
    public var target: String
    /// The docker file, where Docker Hub is keyed `https://index.docker.io/v1/`.
    public var dockerConfig: String?

    public init(authFile: String?, environment: [String: String]) {
        if let explicit = authFile ?? environment["REGISTRY_AUTH_FILE"], !explicit.isEmpty {
            searched = [explicit]
            target = explicit
            dockerConfig = nil
            return
        }
        var files: [String] = []
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            files.append(runtime + "/containers/auth.json")
        }
        let docker: String? = if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty {
            directory + "/config.json"
        } else if let home = environment["HOME"], !home.isEmpty {
            home + "/.docker/config.json"
        } else {
            nil
        }
        if let docker { files.append(docker) }
        searched = files
        target = files.first ?? "auth.json"
        dockerConfig = docker
    }

    /// The `auths` key `login` writes for `key` into `path`.
    func storedKey(_ key: String, in path: String) -> String {
        path == dockerConfig && key == RegistryHost.dockerHub ? RegistryHost.dockerHubLegacyKey : key
    }
}
