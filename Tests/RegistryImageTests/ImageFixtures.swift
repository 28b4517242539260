import Foundation

/// Fixtures made once per test process by Tests/Support/archives/make_images.py
/// (Python tarfile/json/hashlib and skopeo), with the digests Python computed.
enum ImageFixtures {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static let support = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Support")

    static let made: Result<URL, Failure> = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("registry-image-fixtures-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let status = try run("/usr/bin/python3", [support.appendingPathComponent("archives/make_images.py").path, directory.path])
            guard status == 0 else { return .failure(Failure(description: "make_images.py exited \(status)")) }
            return .success(directory)
        } catch {
            return .failure(Failure(description: "cannot make fixtures: \(error)"))
        }
    }()

    static func directory() throws -> URL { try made.get() }

    static func path(_ name: String) throws -> String { try directory().appendingPathComponent(name).path }

    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: directory().appendingPathComponent("expected.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "expected.json is not an object")
        }
        return object
    }

    static func expected(_ group: String, _ key: String) throws -> String {
        guard let values = try expected()[group] as? [String: Any], let value = values[key] as? String else {
            throw Failure(description: "expected.json lacks \(group).\(key)")
        }
        return value
    }

    static func expectedList(_ group: String, _ key: String) throws -> [String] {
        guard let values = try expected()[group] as? [String: Any], let value = values[key] as? [String] else {
            throw Failure(description: "expected.json lacks \(group).\(key)")
        }
        return value
    }

    /// Runs a tool, returning its exit status; output captured into `output` when asked.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], output: UnsafeMutablePointer<Data>? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        output?.pointee = data
        return process.terminationStatus
    }

    static func capture(_ tool: String, _ arguments: [String]) throws -> (Int32, Data) {
        var data = Data()
        let status = try run(tool, arguments, output: &data)
        return (status, data)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ri-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
