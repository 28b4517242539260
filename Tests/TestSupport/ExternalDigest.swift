import Foundation

/// SHA-256 of bytes as `sha256sum` computes it: the reference the tests
/// compare against, independent of the project's own hasher.
public enum ExternalDigest {
    public static func sha256(_ data: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try ExternalCommand.check("sha256sum", [file.path])
        return "sha256:" + String(decoding: out.prefix(64), as: UTF8.self)
    }
}
