import Foundation

/// Fixtures made once per test process by Tests/StandIns/archives/make_images.py
/// (Python tarfile/json/hashlib and skopeo), with the digests Python computed.
public enum ImageFixtures {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// Made on first use and kept for the whole test process.
    static let made: Result<TemporaryDirectory, Failure> = {
        do {
            let directory = try TemporaryDirectory(prefix: "registry-image-fixtures")
            try ExternalCommand.python("archives/make_images.py", [directory.path])
            return .success(directory)
        } catch {
            return .failure(Failure(description: "cannot make fixtures: \(error)"))
        }
    }()

    public static func directory() throws -> URL { try made.get().url }

    public static func path(_ name: String) throws -> String { try directory().appendingPathComponent(name).path }

    public static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: directory().appendingPathComponent("expected.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "expected.json is not an object")
        }
        return object
    }

    public static func expected(_ group: String, _ key: String) throws -> String {
        guard let values = try expected()[group] as? [String: Any], let value = values[key] as? String else {
            throw Failure(description: "expected.json lacks \(group).\(key)")
        }
        return value
    }

    public static func expectedList(_ group: String, _ key: String) throws -> [String] {
        guard let values = try expected()[group] as? [String: Any], let value = values[key] as? [String] else {
            throw Failure(description: "expected.json lacks \(group).\(key)")
        }
        return value
    }
}
