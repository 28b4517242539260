import Foundation

/// Why the built executable could not be run.
public enum ResourceRunnerError: Error, CustomStringConvertible {
    case notBuilt(String)
    case badJSON(String)

    public var description: String {
        switch self {
        case .notBuilt(let path): return "\(path) does not exist: run `swift build` first"
        case .badJSON(let output): return "the resource printed something that is not JSON: \(output.prefix(500))"
        }
    }
}

/// Runs the built `registry-image` executable as Concourse (or a person) would:
/// a subprocess with arguments, a JSON request on stdin, the response on
/// stdout and logs on stderr. The one way every test target runs the binary.
public enum ResourceRunner {
    /// `.build/debug/registry-image` of this package (what `swift build` made).
    public static var executable: URL {
        TestPaths.packageRoot.appendingPathComponent(".build/debug/registry-image")
    }

    /// Variables the resource reads that a test must set explicitly when it
    /// wants them (tests talk to 127.0.0.1 directly, and a developer's or CI's
    /// own settings must not change what a test sees).
    static let clearedVariables = [
        "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY",
        "REGISTRY_USERNAME", "REGISTRY_PASSWORD", "RI_DOCKER_HUB_REGISTRY_FOR_TESTS", "RI_FORCE_RESOLVE_FALLBACK",
        "BUILD_ID", "ATC_EXTERNAL_URL",
    ]

    /// The environment the resource runs with: the test's own minus
    /// `clearedVariables`, with retry delays shortened through
    /// `RI_RETRY_BASE_DELAY_MS` (documented in the README), plus `extra`.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in clearedVariables { environment[name] = nil }
        environment["RI_RETRY_BASE_DELAY_MS"] = "5"
        return environment.merging(extra) { _, new in new }
    }

    /// Runs `registry-image arguments…` with `stdin` to completion. `wrapper`
    /// (e.g. `unshare -n`) is put in front of the executable.
    public static func run(
        _ arguments: [String], stdin: Data = Data(), environment extra: [String: String] = [:], wrapper: [String] = []
    ) throws -> CommandResult {
        try start(arguments, stdin: stdin, environment: extra, wrapper: wrapper).wait()
    }

    /// Runs `registry-image arguments…` with `request` (any JSON value) encoded on stdin.
    public static func run(
        _ arguments: [String], request: Any, environment extra: [String: String] = [:]
    ) throws -> CommandResult {
        let body = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        return try run(arguments, stdin: body, environment: extra)
    }

    /// Starts `registry-image arguments…` and returns while it runs, for tests
    /// that watch its work or signal it (SIGTERM mid-fetch).
    public static func start(
        _ arguments: [String], stdin: Data = Data(), environment extra: [String: String] = [:], wrapper: [String] = []
    ) throws -> RunningCommand {
        let path = executable.path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw ResourceRunnerError.notBuilt(path) }
        if let tool = wrapper.first {
            return try ExternalCommand.start(
                tool, Array(wrapper.dropFirst()) + [path] + arguments, stdin: stdin, environment: environment(extra))
        }
        return try ExternalCommand.start(path, arguments, stdin: stdin, environment: environment(extra))
    }

    /// Decodes a command's stdout as a JSON value (object or array).
    public static func json(_ result: CommandResult) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: result.stdout, options: [.fragmentsAllowed])
        } catch {
            throw ResourceRunnerError.badJSON(result.stdoutString)
        }
    }

    /// The response printed on stdout, as a JSON object.
    public static func response(_ result: CommandResult) throws -> [String: Any] {
        guard let object = try json(result) as? [String: Any] else { throw ResourceRunnerError.badJSON(result.stdoutString) }
        return object
    }

    /// An `in` request for `repository` at `digest`; rootfs format unless `params` says otherwise.
    public static func inRequest(
        repository: String, digest: String, tag: String = "v1", source extra: [String: Any] = [:],
        params: [String: Any] = [:]
    ) -> [String: Any] {
        var source: [String: Any] = ["repository": repository]
        source.merge(extra) { $1 }
        return ["source": source, "version": ["tag": tag, "digest": digest], "params": params]
    }
}
