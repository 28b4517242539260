import Foundation
import TestSupport
import Testing

/// Runs the built `registry-image` executable the way Concourse does: a JSON
/// request on stdin, the response on stdout, logs on stderr. Retry delays are
/// shortened through `RI_RETRY_BASE_DELAY_MS` (documented in the README).
enum ShipResource {
    static var binary: String {
        TestPaths.packageRoot.appendingPathComponent(".build/debug/registry-image").path
    }

    /// The environment the resource runs with: this process's, minus proxy
    /// variables (tests set those explicitly), plus fast retries.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"] {
            environment[name] = nil
        }
        environment["RI_RETRY_BASE_DELAY_MS"] = "5"
        return environment.merging(extra) { $1 }
    }

    /// `registry-image COMMAND ARGS…` with `request` (any JSON value) on stdin.
    static func run(_ arguments: [String], request: Any, environment extra: [String: String] = [:]) throws -> CommandResult {
        let json = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        return try ExternalCommand.run(binary, arguments, stdin: json, environment: environment(extra))
    }

    /// Same, with the request given as raw bytes.
    static func run(_ arguments: [String], rawRequest: Data, environment extra: [String: String] = [:]) throws -> CommandResult {
        try ExternalCommand.run(binary, arguments, stdin: rawRequest, environment: environment(extra))
    }

    /// The response printed on stdout, as a JSON object.
    static func response(_ result: CommandResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "stdout: \(result.stdoutString)")
    }

    /// `sha256:<hex>` of a file, by `sha256sum` (not this project's hasher).
    static func sha256(ofFile path: String) throws -> String {
        let out = try ExternalCommand.check("sha256sum", [path])
        return "sha256:" + String(decoding: out.prefix(64), as: UTF8.self)
    }

    /// `in` for `repository` at `digest`, rootfs format unless `params` says otherwise.
    static func inRequest(repository: String, digest: String, tag: String = "v1", source extra: [String: Any] = [:],
                          params: [String: Any] = [:]) -> [String: Any] {
        var source: [String: Any] = ["repository": repository]
        source.merge(extra) { $1 }
        return ["source": source, "version": ["tag": tag, "digest": digest], "params": params]
    }
}
