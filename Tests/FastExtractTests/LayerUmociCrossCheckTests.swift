import Foundation
import Glibc
import TestSupport
import Testing

/// Applies the same layers as `umoci unpack` and compares the trees attribute
/// by attribute (listed by Python, independently of the code under test).
@Suite struct LayerUmociCrossCheckTests {
    static let layers: [[FixtureEntry]] = [
        [
            .dir("etc", mode: 0o755, mtime: 1_100_000_000), .file("etc/a", "a", mtime: 1_100_000_001),
            .file("etc/b", "b", mode: 0o600, mtime: 1_100_000_002),
            .dir("usr", mtime: 1_100_000_010), .dir("usr/lib", mtime: 1_100_000_011),
            .file("usr/lib/libc.so", "libc", mode: 0o755, mtime: 1_100_000_012),
            .symlink("lib", to: "usr/lib"),
            .dir("opt", mtime: 1_100_000_020), .dir("opt/d", mode: 0o750, mtime: 1_100_000_021),
            .file("opt/d/x", "x"), .file("opt/d/sub/y", "y"),
            .dir("var", mtime: 1_100_000_030), .dir("var/cache", mtime: 1_100_000_031), .file("var/cache/c", "c"),
            .file("bin/su", "su", mode: 0o4755, mtime: 1_100_000_040), .hardlink("bin/su2", to: "bin/su"),
            .file("swap/file-to-dir", "f"), .dir("swap/dir-to-file", mtime: 1_100_000_050), .file("swap/dir-to-file/z", "z"),
            .dir("tmp", mode: 0o1777, mtime: 1_100_000_060),
        ],
        [
            .file("etc/.wh.a"), .dir("opt/d", mode: 0o755, mtime: 1_200_000_021), .file("opt/d/.wh..wh..opq"),
            .file("opt/d/new", "new", mtime: 1_200_000_022), .file("lib/x/libfoo.so", "foo", mtime: 1_200_000_023),
            .file("var/.wh.cache"), .dir("swap/file-to-dir", mtime: 1_200_000_050), .file("swap/file-to-dir/in", "in"),
            .file("swap/dir-to-file", "now a file", mtime: 1_200_000_051), .symlink("etc/b", to: "a"),
        ],
        [
            .dir("etc", mode: 0o711, mtime: 1_300_000_000), .file("etc/c", "c3", mtime: 1_300_000_001),
            .file("usr/lib/libc.so", "libc v2", mode: 0o755, mtime: 1_300_000_012),
            .dir("tmp", mode: 0o1777, mtime: 1_300_000_060),
        ],
    ]

    static let newestFixtureTime = 1_400_000_000 * 1_000_000_000

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/umoci")))
    func matchesUmociUnpack() throws {
        let scratch = try LayerScratch()
        let tars = try scratch.writeTars(Self.layers)
        let scripts = LayerFixtures.scripts.path
        let layout = scratch.base + "/layout"
        try ExternalCommand.check("/usr/bin/env", ["python3", scripts + "/make_oci_layout.py", layout, "test"] + tars)
        let bundle = scratch.base + "/bundle"
        var umociArguments = ["unpack", "--image", layout + ":test", bundle]
        if geteuid() != 0 { umociArguments.insert("--rootless", at: 1) }
        try ExternalCommand.check("/usr/bin/umoci", umociArguments)

        try scratch.apply(tars: tars, fallback: false)
        let theirs = try listing(bundle + "/rootfs")
        let ours = try listing(scratch.rootfs)

        var differences: [String] = []
        for path in Set(theirs.keys).union(ours.keys).sorted() {
            guard let mine = ours[path] else { differences.append("\(path): only in umoci"); continue }
            guard let reference = theirs[path] else { differences.append("\(path): only in ours"); continue }
            for key in Set(reference.keys).union(mine.keys).sorted() where reference[key] != mine[key] {
                // Directories no entry describes (created implicitly, or whose parent
                // was changed through a symlink) carry the extraction time in both.
                if key == "mtime", let a = Int(reference[key] ?? ""), let b = Int(mine[key] ?? ""),
                   a > Self.newestFixtureTime, b > Self.newestFixtureTime { continue }
                differences.append("\(path).\(key): umoci \(reference[key] ?? "-") ours \(mine[key] ?? "-")")
            }
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // Sanity: the comparison saw the interesting paths.
        #expect(ours["usr/lib/x/libfoo.so"] != nil && ours["opt/d/x"] == nil && ours["opt/d/new"] != nil)
    }

    private func listing(_ root: String) throws -> [String: [String: String]] {
        let data = try ExternalCommand.check("/usr/bin/env", ["python3", LayerFixtures.scripts.path + "/tree_listing.py", root])
        let object = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
        return object.mapValues { attributes in attributes.mapValues { "\($0)" } }
    }
}
