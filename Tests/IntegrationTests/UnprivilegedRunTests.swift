import Foundation
import Glibc
import Testing
import TestSupport

/// The executable run without the power to set ownership: as a non-root uid
/// (`setpriv`) and as root inside a user namespace where only its own ids are
/// mapped (`unshare --user --map-root-user`), so chown to 1000 fails with
/// EINVAL. `in` and `extract` must still produce the rootfs with everything
/// that can be kept (content, modes, a read-only directory with children,
/// times, symlinks, hardlinks), print at most one warning per thing that
/// cannot (ownership, refused xattrs), and exit 0. Needs root to set up; skipped otherwise.
@Suite("Unprivileged runs", .serialized, .enabled(if: geteuid() == 0))
struct UnprivilegedRunTests {
    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"]),
        layers: [
            LayerSpec([
                FetchFixtures.at(.dir("opt", uid: 1000, gid: 1000), 1_600_000_000),
                FetchFixtures.at(.dir("opt/ro", mode: 0o555), 1_600_000_100),
                FetchFixtures.at(.file("opt/ro/inner", "inside a 0555 directory\n", mode: 0o640, uid: 1000, gid: 1000), 1_600_000_200),
                .dir("opt/ro/sub", mode: 0o555),
                .file("opt/ro/sub/deep", "deeper\n"),
                .file("opt/tool", "#!/bin/sh\n", mode: 0o4755),
                .symlink("opt/link", to: "ro/inner"),
                .hardlink("opt/hard", to: "opt/ro/inner"),
                Self.withXattr(.file("opt/attr", "x\n"), ["trusted.fuzz": "v", "user.kept": "yes"]),
            ]),
            LayerSpec([.file("opt/ro/second-layer", "later\n"), .randomFile("opt/blob", size: 300_000, seed: "unpriv")]),
        ])

    static func withXattr(_ entry: EntrySpec, _ xattrs: [String: String]) -> EntrySpec {
        var entry = entry
        entry.xattrs = xattrs
        return entry
    }

    enum Mode: String, CaseIterable, CustomStringConvertible {
        case nonRootUid, userNamespaceRoot
        var description: String { rawValue }

        /// The command prefix that drops the privilege.
        var wrapper: [String] {
            switch self {
            case .nonRootUid: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            case .userNamespaceRoot: ["unshare", "--user", "--map-root-user"]
            }
        }
    }

    /// A parent directory the unprivileged run may write in.
    static func writableParent(_ mode: Mode) throws -> TemporaryDirectory {
        let parent = try TemporaryDirectory(prefix: "unpriv-\(mode)")
        chmod(parent.path, 0o755)
        if mode == .nonRootUid { chown(parent.path, 65534, 65534) }
        return parent
    }

    /// What must hold in the rootfs whoever extracted it.
    static func expectKept(_ rootfs: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func status(_ path: String) -> stat? {
            var info = stat()
            return lstat(rootfs + "/" + path, &info) == 0 ? info : nil
        }
        #expect(FileManager.default.contents(atPath: rootfs + "/opt/ro/inner") == Data("inside a 0555 directory\n".utf8),
                sourceLocation: sourceLocation)
        #expect(FileManager.default.contents(atPath: rootfs + "/opt/ro/sub/deep") == Data("deeper\n".utf8), sourceLocation: sourceLocation)
        #expect(FileManager.default.contents(atPath: rootfs + "/opt/ro/second-layer") == Data("later\n".utf8),
                sourceLocation: sourceLocation)
        #expect(status("opt/ro").map { $0.st_mode & 0o7777 } == 0o555, "deferred directory mode", sourceLocation: sourceLocation)
        #expect(status("opt/ro/sub").map { $0.st_mode & 0o7777 } == 0o555, sourceLocation: sourceLocation)
        #expect(status("opt/ro/inner").map { $0.st_mode & 0o7777 } == 0o640, sourceLocation: sourceLocation)
        #expect(status("opt/ro/inner").map { Int($0.st_mtim.tv_sec) } == 1_600_000_200, sourceLocation: sourceLocation)
        #expect(status("opt").map { Int($0.st_mtim.tv_sec) } == 1_600_000_000, sourceLocation: sourceLocation)
        #expect(status("opt/tool").map { $0.st_mode & 0o777 } == 0o755, sourceLocation: sourceLocation)
        #expect(status("opt/link").map { $0.st_mode & S_IFMT } == S_IFLNK, sourceLocation: sourceLocation)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/opt/link")) == "ro/inner",
                sourceLocation: sourceLocation)
        #expect(status("opt/hard").map { $0.st_ino } == status("opt/ro/inner").map { $0.st_ino }, "hardlink", sourceLocation: sourceLocation)
        let kept = try ExternalCommand.check(
            "python3", ["-c", "import os, sys; sys.stdout.write(os.getxattr(sys.argv[1], 'user.kept').decode())",
                        rootfs + "/opt/attr"])
        #expect(kept == Data("yes".utf8), "user.* xattr kept", sourceLocation: sourceLocation)
    }

    /// Exit 0, no error, and at most one warning line for each kind.
    static func expectWarnedNotFailed(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings.filter { $0.contains("ownership") }.count <= 1, "\(warnings)", sourceLocation: sourceLocation)
        #expect(warnings.filter { $0.contains("extended attributes") }.count == 1, "\(warnings)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("error:"), sourceLocation: sourceLocation)
    }

    @Test(arguments: Mode.allCases) func extractWithoutPrivilege(_ mode: Mode) throws {
        let layout = try buildFixture(Self.image)
        try ExternalCommand.check("chmod", ["-R", "a+rX", layout.url.path])
        let parent = try Self.writableParent(mode)
        let rootfs = parent.path + "/rootfs"
        let result = try ResourceRunner.run(["extract", layout.url.path, rootfs], wrapper: mode.wrapper)
        Self.expectWarnedNotFailed(result)
        if mode == .userNamespaceRoot {
            #expect(result.stderr.contains("cannot set ownership"), "one ownership warning: \(result.stderr)")
        }
        try Self.expectKept(rootfs)
    }

    @Test(arguments: Mode.allCases) func inWithoutPrivilege(_ mode: Mode) throws {
        let registry = try TestRegistry(.plain)
        defer { registry.stop() }
        let layout = try buildFixture(Self.image)
        let digest = try pushLayout(layout.url, layoutTag: "v1", to: registry, repository: "unpriv/in", tag: "v1")
        let parent = try Self.writableParent(mode)
        let destination = parent.path + "/dest"
        let request = ResourceRunner.inRequest(repository: "\(registry.url)/unpriv/in", digest: digest)
        let body = try JSONSerialization.data(withJSONObject: request)
        let result = try ResourceRunner.run(["in", destination], stdin: body,
                                            environment: ["RI_RETRY_BASE_DELAY_MS": "5"], wrapper: mode.wrapper)
        Self.expectWarnedNotFailed(result)
        try Self.expectKept(destination + "/rootfs")
        #expect(FileManager.default.fileExists(atPath: destination + "/metadata.json"))
    }
}
