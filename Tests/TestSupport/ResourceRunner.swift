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
/// stdout and logs on stderr.
public enum ResourceRunner {
    /// `.build/debug/registry-image` of this package (what `swift build` made).
    public static var executable: URL {
        TestPaths.packageRoot.appendingPathComponent(".build/debug/registry-image")
    }

    /// Runs `registry-image arguments…` with `stdin`; the environment is the
    /// test's own plus `environment` (proxy variables removed: tests talk to
    /// 127.0.0.1 directly).
    public static func run(
        _ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:], wrapper: [String] = []
    ) throws -> CommandResult {
        let path = executable.path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw ResourceRunnerError.notBuilt(path) }
        var env = ProcessInfo.processInfo.environment
        for name in ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
            env[name] = nil
        }
        env.merge(environment) { _, new in new }
        if let tool = wrapper.first {
            return try ExternalCommand.run(tool, Array(wrapper.dropFirst()) + [path] + arguments, stdin: stdin, environment: env)
        }
        return try ExternalCommand.run(path, arguments, stdin: stdin, environment: env)
    }

    /// Runs `registry-image command args…` with `request` encoded as JSON on stdin.
    public static func run(_ command: String, _ arguments: [String] = [], request: Any) throws -> CommandResult {
        let body = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        return try run([command] + arguments, stdin: body)
    }

    /// Decodes a command's stdout as a JSON value (object or array).
    public static func json(_ result: CommandResult) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: result.stdout, options: [.fragmentsAllowed])
        } catch {
            throw ResourceRunnerError.badJSON(result.stdoutString)
        }
    }
}
