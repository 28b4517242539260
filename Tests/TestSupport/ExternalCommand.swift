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

/// A started command. Its output goes to temporary files, so large output
/// cannot dead-lock a pipe; `wait()` reads them, and they go with this object.
public final class RunningCommand {
    private let process: Process
    private let scratch: TemporaryDirectory

    fileprivate init(executable: String, arguments: [String], stdin: Data, environment: [String: String]?) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        scratch = try TemporaryDirectory(prefix: "cmd")
        _ = FileManager.default.createFile(atPath: scratch.appending("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.appending("stderr").path, contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.appending("stdin").path, contents: stdin)
        let outHandle = try FileHandle(forWritingTo: scratch.appending("stdout"))
        let errHandle = try FileHandle(forWritingTo: scratch.appending("stderr"))
        let inHandle = try FileHandle(forReadingFrom: scratch.appending("stdin"))
        // The child has its own copies once it runs.
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }

    /// The pid (the resource names its staging entries after it).
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `signal` (e.g. SIGTERM, as Concourse does when a build is aborted).
    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the command to end; what it printed and its exit status.
    public func wait() -> CommandResult {
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: (try? Data(contentsOf: scratch.appending("stdout"))) ?? Data(),
            stderr: String(decoding: (try? Data(contentsOf: scratch.appending("stderr"))) ?? Data(), as: UTF8.self))
    }

    /// A test that fails before `wait()` leaves no process behind.
    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
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

    /// The Python used for the helpers in Tests/StandIns: Debian's, which avoids
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

    /// The Python with `cryptography` (the signature tests' fixture maker and
    /// independent verifier): the same virtualenv.
    public static var cryptographyPython: String { awsPython }

    /// Runs a helper script from Tests/StandIns with the virtualenv's Python.
    @discardableResult
    public static func cryptographyPython(_ script: String, _ arguments: [String], stdin: Data? = nil) throws -> Data {
        try check(cryptographyPython, [TestPaths.standIns.appendingPathComponent(script).path] + arguments, stdin: stdin)
    }

    /// Runs `tool args…` to completion.
    public static func run(
        _ tool: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil
    ) throws -> CommandResult {
        try start(tool, arguments, stdin: stdin, environment: environment).wait()
    }

    /// Starts `tool args…` and returns at once, so a test can watch or signal
    /// it while it runs; `wait()` collects the result.
    public static func start(
        _ tool: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil
    ) throws -> RunningCommand {
        try RunningCommand(executable: try locate(tool), arguments: arguments, stdin: stdin ?? Data(), environment: environment)
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

    /// Runs a helper script from Tests/StandIns (e.g. "fixtures/build_image.py").
    @discardableResult
    public static func python(_ script: String, _ arguments: [String], stdin: Data? = nil) throws -> Data {
        try check(python, [TestPaths.standIns.appendingPathComponent(script).path] + arguments, stdin: stdin)
    }
}
