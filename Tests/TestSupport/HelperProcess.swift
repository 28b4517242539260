import Foundation

/// Why a helper server from Tests/StandIns could not be started.
public enum HelperProcessError: Error, CustomStringConvertible {
    case launchFailed(script: String, log: String)
    case badLaunchInfo(script: String, line: String)

    public var description: String {
        switch self {
        case .launchFailed(let script, let log): return "\(script) did not start: \(log.suffix(2000))"
        case .badLaunchInfo(let script, let line): return "\(script) printed unreadable launch info: \(line.prefix(300))"
        }
    }
}

/// A long-running Python helper from Tests/StandIns (registry launcher, fault
/// proxy). It prints one JSON line when ready and runs until its stdin closes,
/// so it also goes away when the test process dies.
final class HelperProcess: @unchecked Sendable {
    private let process: Process
    private let stdinPipe: Pipe
    private let logs: TemporaryDirectory
    private let lock = NSLock()
    private var stopped = false
    /// Its path under Tests/StandIns, for errors.
    let script: String
    /// The JSON line the helper printed when it became ready.
    let launchInfo: Data

    init(script: String, arguments: [String], python: String = ExternalCommand.python) throws {
        self.script = script
        logs = try TemporaryDirectory(prefix: "helper-log")
        let errURL = logs.appending("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? errHandle.close() }

        process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalCommand.locate(python))
        process.arguments = [TestPaths.standIns.appendingPathComponent(script).path] + arguments
        stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = errHandle
        try process.run()

        var line = Data()
        let reader = stdoutPipe.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        try? reader.close()
        guard line.contains(UInt8(ascii: "\n")) else {
            try? stdinPipe.fileHandleForWriting.close()
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw HelperProcessError.launchFailed(
                script: script, log: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
        }
        launchInfo = line
    }

    /// Decodes the launch line, stopping the helper if it is not what was expected.
    func decodeLaunchInfo<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: launchInfo)
        } catch {
            stop()
            throw HelperProcessError.badLaunchInfo(script: script, line: String(decoding: launchInfo, as: UTF8.self))
        }
    }

    /// The stand-in's counters (`GET BASE/__stats`).
    func stats<T: Decodable>(_ type: T.Type, from baseURL: String) throws -> T {
        try JSONDecoder().decode(type, from: try ExternalCommand.check("curl", ["-sS", "--fail", baseURL + "/__stats"]))
    }

    /// Closes the helper's stdin and terminates it; waits until it has cleaned up. Idempotent.
    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}
