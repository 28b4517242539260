import Foundation
import Glibc
import TestSupport
import Testing

/// Fixture images and tree comparisons shared by the end-to-end `in` and
/// `extract` tests. Trees are listed by `Tests/StandIns/layers/tree_listing.py`
/// (Python, independent of the code under test) plus xattrs and link counts.
enum FetchFixtures {
    /// Fixture entries carry mtimes at or below this; anything newer on both
    /// sides is an extraction time (directories no entry describes).
    static let newestFixtureSeconds = 1_700_000_100

    static func at(_ entry: EntrySpec, _ mtime: Int) -> EntrySpec {
        var entry = entry
        entry.mtime = mtime
        return entry
    }

    static func owned(_ entry: EntrySpec, uid: Int, gid: Int) -> EntrySpec {
        var entry = entry
        entry.uid = uid
        entry.gid = gid
        return entry
    }

    /// Every layer rule in three layers: the first and last gzip, the middle
    /// one an uncompressed tar (umoci reads all three).
    static func layerRuleLayers(first: LayerSpec.Compression = .gzip, middle: LayerSpec.Compression = .none,
                                last: LayerSpec.Compression = .gzip) -> [LayerSpec] {
        var xattrFile = owned(.file("srv/x", "with xattr", mode: 0o640), uid: 1000, gid: 1001)
        xattrFile.xattrs = ["user.origin": "fixture", "user.second": "2"]
        return [
            LayerSpec([
                at(.dir("etc", mode: 0o755), 1_600_000_000), at(.file("etc/a", "a"), 1_600_000_001),
                at(owned(.file("etc/b", "b", mode: 0o600), uid: 1000, gid: 1001), 1_600_000_002),
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                .file("etc/victim", "victim"), .symlink("etc/sym", to: "victim"),
                at(.dir("usr"), 1_600_000_010), at(.dir("usr/lib"), 1_600_000_011),
                at(.file("usr/lib/libc.so", "libc", mode: 0o755), 1_600_000_012),
                .symlink("lib", to: "usr/lib"),
                at(.dir("opt/d", mode: 0o750), 1_600_000_021), .file("opt/d/x", "x"), .file("opt/d/sub/y", "y"),
                .dir("var/cache"), .file("var/cache/c", "c"),
                at(.file("bin/su", "su", mode: 0o4755), 1_600_000_040), .hardlink("bin/su2", to: "bin/su"),
                .file("bin/sg", "sg", mode: 0o2755),
                .file("swap/file-to-dir", "f"), .dir("swap/dir-to-file"), .file("swap/dir-to-file/z", "z"),
                at(.dir("tmp", mode: 0o1777), 1_600_000_060),
                .file("keep/orig", "kept through a hardlink"), .hardlink("keep/hl", to: "keep/orig"),
                xattrFile,
                .dir("dev"), .chardev("dev/null", major: 1, minor: 3), .fifo("run/pipe"),
            ], compression: first),
            LayerSpec([
                .whiteout("etc/a"), at(.dir("opt/d", mode: 0o755), 1_650_000_021), .opaque("opt/d"),
                .file("opt/d/new", "new"), at(.file("lib/x/libfoo.so", "foo"), 1_650_000_023),
                .whiteout("var/cache"), .dir("swap/file-to-dir"), .file("swap/file-to-dir/in", "in"),
                .file("swap/dir-to-file", "now a file"), .symlink("etc/b", to: "a"),
                .file("etc/sym", "replaced the link"), .whiteout("keep/orig"),
            ], compression: middle),
            LayerSpec([
                at(.dir("etc", mode: 0o711), 1_690_000_000), .file("etc/c", "c3"),
                at(.file("usr/lib/libc.so", "libc v2", mode: 0o755), 1_690_000_012),
            ], compression: last),
        ]
    }

    static func layerRuleImage(tag: String = "rules", mediaTypes: MediaTypeFamily = .oci,
                               layers: [LayerSpec] = layerRuleLayers()) -> ImageSpec {
        ImageSpec(
            tag: tag, mediaTypes: mediaTypes,
            config: ImageConfigSpec(env: ["PATH=/usr/bin:/bin", "A=1"], cmd: ["/bin/sh"], entrypoint: ["/init"],
                                    user: "1000:1001", labels: ["org.example.team": "h9", "tier": "test"]),
            layers: layers)
    }

    /// Asserts the layer rules' outcome directly (independently of umoci).
    static func expectLayerRules(in rootfs: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        let tree = FileTree(rootfs)
        #expect(tree.contents("usr/lib/x/libfoo.so") == "foo", sourceLocation: sourceLocation)
        #expect(tree.linkTarget("lib") == "usr/lib", sourceLocation: sourceLocation)
        #expect(!tree.exists("etc/a") && tree.linkTarget("etc/b") == "a", sourceLocation: sourceLocation)
        #expect(tree.contents("etc/sym") == "replaced the link" && tree.linkTarget("etc/sym") == nil,
                sourceLocation: sourceLocation)
        #expect(tree.contents("etc/victim") == "victim", sourceLocation: sourceLocation)
        #expect(!tree.exists("opt/d/x") && !tree.exists("opt/d/sub") && tree.contents("opt/d/new") == "new",
                sourceLocation: sourceLocation)
        #expect(tree.exists("var") && !tree.exists("var/cache"), sourceLocation: sourceLocation)
        #expect(tree.contents("swap/file-to-dir/in") == "in", sourceLocation: sourceLocation)
        #expect(tree.contents("swap/dir-to-file") == "now a file", sourceLocation: sourceLocation)
        #expect(tree.contents("keep/hl") == "kept through a hardlink" && !tree.exists("keep/orig"),
                sourceLocation: sourceLocation)
        let su = tree.info("bin/su"), su2 = tree.info("bin/su2")
        #expect(su != nil && su?.st_ino == su2?.st_ino && su?.st_nlink == 2, sourceLocation: sourceLocation)
        #expect(su.map { $0.st_mode & 0o7777 } == 0o4755, sourceLocation: sourceLocation)
        #expect(tree.info("bin/sg").map { $0.st_mode & 0o7777 } == 0o2755, sourceLocation: sourceLocation)
        #expect(tree.info("tmp").map { $0.st_mode & 0o7777 } == 0o1777, sourceLocation: sourceLocation)
        #expect(tree.info("etc").map { $0.st_mode & 0o7777 } == 0o711, sourceLocation: sourceLocation)
        #expect(tree.info("etc").map { Int($0.st_mtim.tv_sec) } == 1_690_000_000, sourceLocation: sourceLocation)
        #expect(tree.contents("usr/lib/libc.so") == "libc v2", sourceLocation: sourceLocation)
        #expect(!tree.exists("dev/null"), "devices are skipped", sourceLocation: sourceLocation)
        #expect(tree.info("run/pipe").map { $0.st_mode & S_IFMT } == S_IFIFO, sourceLocation: sourceLocation)
        if geteuid() == 0 {
            let b = tree.info("srv/x")
            #expect(b?.st_uid == 1000 && b?.st_gid == 1001, sourceLocation: sourceLocation)
            #expect(tree.xattrs("srv/x") == ["user.origin": "fixture", "user.second": "2"],
                    sourceLocation: sourceLocation)
        }
    }
}

/// Read-only look at an extracted tree, by lstat (never following the last link).
struct FileTree {
    let root: URL

    init(_ root: URL) { self.root = root }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func info(_ relative: String) -> stat? {
        var buffer = stat()
        return lstat(path(relative), &buffer) == 0 ? buffer : nil
    }

    func exists(_ relative: String) -> Bool { info(relative) != nil }

    func contents(_ relative: String) -> String? {
        guard let info = info(relative), info.st_mode & S_IFMT == S_IFREG else { return nil }
        return (try? Data(contentsOf: URL(fileURLWithPath: path(relative)))).map { String(decoding: $0, as: UTF8.self) }
    }

    func linkTarget(_ relative: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path(relative))
    }

    /// Extended attributes of every path under the root (by Python's
    /// os.listxattr, which Glibc's Swift module does not expose).
    func allXattrs() throws -> [String: [String: String]] {
        let script = """
            import json, os, sys
            root = sys.argv[1]; out = {}
            for d, dirs, files in os.walk(root):
                for n in [""] + dirs + files:
                    p = os.path.join(d, n) if n else d
                    names = os.listxattr(p, follow_symlinks=False)
                    if names:
                        out[os.path.relpath(p, root)] = {k: os.getxattr(p, k, follow_symlinks=False).decode("utf-8", "replace") for k in names}
            json.dump(out, sys.stdout)
            """
        let data = try ExternalCommand.check(ExternalCommand.python, ["-c", script, root.path])
        return try JSONSerialization.jsonObject(with: data) as? [String: [String: String]] ?? [:]
    }

    func xattrs(_ relative: String) -> [String: String] {
        ((try? allXattrs()) ?? [:])[relative] ?? [:]
    }

    /// Every path's attributes, as strings: tree_listing.py's (type, mode,
    /// size, sha256, target, mtime, uid, gid) plus link count and xattrs.
    func listing() throws -> [String: [String: String]] {
        let data = try ExternalCommand.python("layers/tree_listing.py", [root.path])
        let object = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
        let xattrsByPath = try allXattrs()
        var result: [String: [String: String]] = [:]
        for (relative, attributes) in object {
            var entry = attributes.mapValues { "\($0)" }
            if let info = info(relative), info.st_mode & S_IFMT != S_IFDIR {
                entry["nlink"] = "\(info.st_nlink)"
            }
            if let xattrs = xattrsByPath[relative], !xattrs.isEmpty {
                entry["xattrs"] = xattrs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
            result[relative] = entry
        }
        return result
    }

    /// Differences from `reference`, attribute by attribute. Device nodes in
    /// the reference are expected to be missing here (they are skipped).
    func differences(from reference: FileTree) throws -> [String] {
        let theirs = try reference.listing()
        let ours = try listing()
        let newest = FetchFixtures.newestFixtureSeconds * 1_000_000_000
        var differences: [String] = []
        for path in Set(theirs.keys).union(ours.keys).sorted() {
            if theirs[path]?["type"] == "other", ours[path] == nil { continue }
            guard let mine = ours[path] else { differences.append("\(path): only in reference"); continue }
            guard let expected = theirs[path] else { differences.append("\(path): only in ours"); continue }
            for key in Set(expected.keys).union(mine.keys).sorted() where expected[key] != mine[key] {
                if key == "mtime", let a = Int(expected[key] ?? ""), let b = Int(mine[key] ?? ""), a > newest, b > newest {
                    continue
                }
                differences.append("\(path).\(key): reference \(expected[key] ?? "-") ours \(mine[key] ?? "-")")
            }
        }
        return differences
    }
}

/// Requests and checks common to the `in` tests.
enum FetchRequests {
    static func source(_ registry: TestRegistry, _ repository: String, extra: [String: Any] = [:]) -> [String: Any] {
        var source: [String: Any] = ["repository": "\(registry.url)/\(repository)"]
        if let pem = registry.caCertificatePEM { source["ca_certs"] = [pem] }
        source.merge(extra) { _, new in new }
        return source
    }

    static func runIn(_ destination: URL, source: [String: Any], version: [String: Any], params: [String: Any]? = nil)
        throws -> CommandResult
    {
        var request: [String: Any] = ["source": source, "version": version]
        if let params { request["params"] = params }
        return try ResourceRunner.run(["in", destination.path], request: request)
    }

    /// A failure as the contract wants it: non-zero, one `error:` line, no crash.
    static func expectCleanFailure(_ result: CommandResult, mentioning fragment: String? = nil,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errorLines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"),
                sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        if let fragment {
            #expect(errorLines.first?.lowercased().contains(fragment.lowercased()) == true,
                    "expected '\(fragment)' in: \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// Names in `directory` (empty when it does not exist).
    static func names(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }
}
