import Foundation
import TestSupport
import Testing

/// The resource image `make image` builds (scripts/image-oci.sh), found in
/// `$RI_IMAGE_DIR` (set by `make test`, which builds the image first) or in
/// `.build/image`. Tests that need it are enabled when it is there; with
/// `RI_IMAGE_DIR` set, a missing image is a failure, not a skip.
enum ShipImage {
    static var directory: URL {
        let configured = ProcessInfo.processInfo.environment["RI_IMAGE_DIR"] ?? ".build/image"
        return configured.hasPrefix("/")
            ? URL(fileURLWithPath: configured, isDirectory: true)
            : TestPaths.packageRoot.appendingPathComponent(configured, isDirectory: true)
    }

    static var required: Bool { ProcessInfo.processInfo.environment["RI_IMAGE_DIR"] != nil }
    static var built: Bool { FileManager.default.fileExists(atPath: layout.appendingPathComponent("index.json").path) }
    /// Run when built, or when `make test` says it must have been built.
    static var enabled: Bool { required || built }
    /// Root, and allowed to make mount and PID namespaces (not so inside
    /// `docker build`, for one).
    static let canIsolate: Bool = {
        guard getuid() == 0 else { return false }
        return (try? ExternalCommand.run("unshare", ["--mount", "--pid", "--fork", "true"]).status) == 0
    }()

    static var layout: URL { directory.appendingPathComponent("oci", isDirectory: true) }
    static var dockerArchive: URL { directory.appendingPathComponent("registry-image.tar") }
    /// The stripped static binary the image's tree was assembled from.
    static var binary: URL { directory.appendingPathComponent("registry-image.stripped") }
    /// The tree `make image-rootfs` assembled and `make image` packed.
    static var tree: URL {
        let configured = ProcessInfo.processInfo.environment["RI_IMAGE_ROOTFS"] ?? ".build/image-rootfs"
        return configured.hasPrefix("/") ? URL(fileURLWithPath: configured, isDirectory: true)
            : TestPaths.packageRoot.appendingPathComponent(configured, isDirectory: true)
    }

    /// The manifest digest `make image` recorded.
    static func digest() throws -> String {
        let text = try String(contentsOf: directory.appendingPathComponent("digest"), encoding: .utf8)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The tag (ref.name) of the one image in the layout.
    static func tag() throws -> String {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: layout.appendingPathComponent("index.json")))
        let manifests = try #require((index as? [String: Any])?["manifests"] as? [[String: Any]])
        let annotations = try #require(manifests.first?["annotations"] as? [String: String])
        return try #require(annotations["org.opencontainers.image.ref.name"])
    }

    /// A blob of the layout, parsed as a JSON object.
    static func jsonBlob(_ digest: String) throws -> [String: Any] {
        let hex = digest.replacingOccurrences(of: "sha256:", with: "")
        let data = try Data(contentsOf: layout.appendingPathComponent("blobs/sha256/\(hex)"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs `/opt/resource/ENTRY ARGS…` inside `root` only: a new mount and PID
    /// namespace, its own /proc, chroot — no host library or tool is visible.
    /// The environment is what a container would have, nothing of the host's.
    static func runInside(_ root: URL, _ entry: String, _ arguments: [String], request: Any) throws -> CommandResult {
        let json = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        return try ExternalCommand.run(
            "unshare", ["--mount", "--pid", "--fork", "--mount-proc=\(root.path)/proc",
                        try ExternalCommand.locate("chroot"), root.path, "/opt/resource/\(entry)"] + arguments, stdin: json,
            environment: ["PATH": "/opt/resource:/usr/bin:/bin", "RI_RETRY_BASE_DELAY_MS": "5"])
    }

    /// Every path under `root` (relative, sorted), symlinks not followed.
    static func listing(_ root: URL) throws -> [String] {
        let out = try ExternalCommand.check("find", [root.path, "-mindepth", "1", "-printf", "%P %y\\n"])
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }
}
