import FoundationEssentials
import OCIModel

/// How auth files name registries. The containers tools key `auths` by host
/// (`docker.io`) or by host plus a repository namespace
/// (`quay.io/team`, most specific wins); docker keys Docker Hub as
/// `https://index.docker.io/v1/` and older files use URLs for other hosts too.
public enum RegistryHost {
    public static let dockerHub = "docker.io"
    /// Docker's own name for Docker Hub, in config.json and to credential helpers.
    public static let dockerHubLegacyKey = "https://index.docker.io/v1/"

    /// The name a person types (`docker.io`, `https://host:5000/`,
    /// `host/namespace`) as the key auth files use: no scheme, no trailing
    /// slash, Docker Hub's aliases folded into `docker.io`.
    public static func normalised(_ text: String) -> String {
        var rest = Substring(text)
        var hadScheme = false
        for scheme in ["https://", "http://"] where rest.lowercased().hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            hadScheme = true
        }
        // A URL key (`https://host/v1/`) names its host only; a bare key may
        // carry a repository namespace.
        if hadScheme, let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        let host = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let path = rest.dropFirst(host.count)
        return canonical(host) + path
    }

    /// Docker Hub under one name; any other host as given.
    public static func canonical(_ host: String) -> String {
        switch host.lowercased() {
        case "docker.io", "index.docker.io", "registry-1.docker.io": dockerHub
        default: host
        }
    }

    /// Other spellings of `host` older files and helpers use.
    static func aliases(of host: String) -> [String] {
        canonical(host) == dockerHub
            ? [dockerHubLegacyKey, "index.docker.io", "registry-1.docker.io", dockerHub].filter { $0 != host }
            : ["https://\(host)", "http://\(host)"]
    }

    /// Lookup keys for a repository, most specific first:
    /// `host/a/b`, `host/a`, `host`.
    public static func keys(registry: String, repository: String?) -> [String] {
        let host = canonical(registry)
        var keys: [String] = []
        if let repository, !repository.isEmpty {
            var components = repository.split(separator: "/").map(String.init)
            while !components.isEmpty {
                keys.append(host + "/" + components.joined(separator: "/"))
                components.removeLast()
            }
        }
        keys.append(host)
        return keys
    }

    /// The host part of a key (`quay.io/team` → `quay.io`).
    public static func host(ofKey key: String) -> String {
        String(key.split(separator: "/", maxSplits: 1).first ?? Substring(key))
    }

    /// The address a registry client talks to for a key's host.
    public static func registryAddress(ofKey key: String) -> String {
        let host = host(ofKey: key)
        return host == dockerHub ? ImageReference.dockerHubRegistry : host
    }

    /// The server URL a credential helper is asked about (docker's convention).
    static func helperServerURL(_ host: String) -> String {
        canonical(host) == dockerHub ? dockerHubLegacyKey : host
    }
}
