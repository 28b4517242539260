import Foundation

/// SHA-256 of bytes as `sha256sum` computes it: the reference the tests
/// compare against, independent of the project's own hasher.
public enum ExternalDigest {
    public static func sha256(_ data: Data) throws -> String {
        let scratch = try TemporaryDirectory(prefix: "sha")
        let file = scratch.appending("data")
        try data.write(to: file)
        return try sha256(ofFile: file.path)
    }

    public static func sha256(ofFile path: String) throws -> String {
        let out = try ExternalCommand.check("sha256sum", [path])
        return "sha256:" + String(decoding: out.prefix(64), as: UTF8.self)
    }
}
