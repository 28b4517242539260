import Foundation

/// Why running an external tool failed; one line, with the tool's stderr tail.
public enum ExternalCommandError: Error, CustomStringConvertible {
    case notFound(String)
    case failed(command: String, status: Int32, stderr: String)
    case unexpectedOutput(command: String, output: String)

    public var description: String {
        switch self {
        case .notFound(let tool):
            return "\(tool): not found in PATH"
        case .failed(let command, let status, let stderr):
            return "\(command) exited with \(status): \(stderr.suffix(2000))"
        case .unexpectedOutput(let command, let output):
            return "\(command) printed something unexpected: \(output.prefix(500))"
        }
    }
}

/// What an external tool printed and how it ended.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: String
    public var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs the command-line tools the tests check against (skopeo, umoci, curl,
/// python3 helpers). Output goes to temporary files, so large output cannot
/// dead-lock the pipes.
public enum ExternalCommand {
    /// Resolves a tool name through PATH plus the usual system directories
    /// (CI may run with a minimal PATH).
    public static func locate(_ tool: String) throws -> String {
        if tool.contains("/") { return tool }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + tool) {
            return dir + "/" + tool
        }
        throw ExternalCommandError.notFound(tool)
    }

    /// The Python used for the helpers in Tests/Support: Debian's, which avoids
    /// version-manager shims.
    public static var python: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    }

    /// The Python with moto and botocore (the AWS tests' helpers): the
    /// virtualenv `make deps` fills (`.build/test-python`), else `python`.
    public static var awsPython: String {
        let venv = TestPaths.packageRoot.appendingPathComponent(".build/test-python/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : python
    }

    /// Runs `tool args…` to completion.
    public static func run(
        _ tool: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(tool))
        process.arguments = arguments
        if let environment { process.environment = environment }
        let scratch = try TemporaryDirectory(prefix: "cmd")
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        let inURL = scratch.url.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? Data(contentsOf: outURL)) ?? Data(),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    /// Runs the command and throws unless it exits 0; returns its stdout.
    @discardableResult
    public static func check(
        _ tool: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil
    ) throws -> Data {
        let result = try run(tool, arguments, stdin: stdin, environment: environment)
        guard result.status == 0 else {
            throw ExternalCommandError.failed(
                command: ([tool] + arguments).joined(separator: " "), status: result.status, stderr: result.stderr)
        }
        return result.stdout
    }

    /// Runs a helper script from Tests/Support (e.g. "fixtures/build_image.py").
    @discardableResult
    public static func python(_ script: String, _ arguments: [String], stdin: Data? = nil) throws -> Data {
        try check(python, [TestPaths.support.appendingPathComponent(script).path] + arguments, stdin: stdin)
    }
}
