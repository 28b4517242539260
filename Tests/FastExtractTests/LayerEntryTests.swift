import CLinux
@testable import FastExtract
import Foundation
import Glibc
import TestSupport
import Testing

@Suite struct LayerEntryTests {
    @Test(arguments: bothResolvers) func filesDirectoriesSymlinksAndFifos(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([[
            .dir("etc", mode: 0o750, mtime: 1_000_000),
            .file("etc/hosts", "127.0.0.1 localhost\n", mode: 0o640, mtime: 1_234_567),
            .file("bin/tool", "#!/bin/sh\n", mode: 0o755),  // parent not listed: created
            .symlink("etc/link", to: "hosts"),
            FixtureEntry("run/pipe", type: "fifo", mode: 0o600, mtime: 1_111_111),
            FixtureEntry("dev/null", type: "char", mode: 0o666),
            FixtureEntry("dev/sda", type: "block", mode: 0o660),
        ]], fallback: fallback)
        #expect(scratch.contents("etc/hosts") == "127.0.0.1 localhost\n")
        #expect(scratch.mode("etc/hosts") == 0o640)
        #expect(scratch.mtime("etc/hosts") == 1_234_567)
        #expect(scratch.mode("bin/tool") == 0o755)
        #expect(scratch.type("etc") == S_IFDIR)
        #expect(scratch.mode("etc") == 0o750)
        // Directory times are set after their contents were written.
        #expect(scratch.mtime("etc") == 1_000_000)
        #expect(scratch.linkTarget("etc/link") == "hosts")
        #expect(scratch.mtime("etc/link") == 1_600_000_000)
        #expect(scratch.type("run/pipe") == S_IFIFO)
        #expect(scratch.mode("run/pipe") == 0o600)
        #expect(scratch.mtime("run/pipe") == 1_111_111)
        #expect(!scratch.exists("dev/null"))
        #expect(!scratch.exists("dev/sda"))
    }

    @Test(arguments: bothResolvers) func specialModeBits(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([[
            .file("usr/bin/su", "x", mode: 0o4755),
            .file("usr/bin/wall", "x", mode: 0o2755),
            .dir("tmp", mode: 0o1777),
        ]], fallback: fallback)
        #expect(scratch.mode("usr/bin/su") == 0o4755)
        #expect(scratch.mode("usr/bin/wall") == 0o2755)
        #expect(scratch.mode("tmp") == 0o1777)
    }

    @Test(.enabled(if: geteuid() == 0), arguments: bothResolvers)
    func ownershipAsRootKeepsSetuid(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([[
            FixtureEntry("home/u", type: "dir", mode: 0o700, uid: 1000, gid: 1001),
            FixtureEntry("home/u/suid", data: "x", mode: 0o4750, uid: 1000, gid: 1001),
            FixtureEntry("home/u/link", type: "symlink", uid: 1002, gid: 1003, linkname: "suid"),
            FixtureEntry("home/u/fifo", type: "fifo", mode: 0o644, uid: 7, gid: 8),
        ]], fallback: fallback)
        #expect(scratch.info("home/u").map { ($0.st_uid, $0.st_gid) } ?? (0, 0) == (1000, 1001))
        #expect(scratch.info("home/u/suid").map { ($0.st_uid, $0.st_gid) } ?? (0, 0) == (1000, 1001))
        #expect(scratch.mode("home/u/suid") == 0o4750)  // fchmod after fchown
        #expect(scratch.info("home/u/link").map { ($0.st_uid, $0.st_gid) } ?? (0, 0) == (1002, 1003))
        #expect(scratch.info("home/u/fifo").map { ($0.st_uid, $0.st_gid) } ?? (0, 0) == (7, 8))
    }

    @Test func ownershipSkippedWhenNotPreserving() throws {
        let scratch = try LayerScratch()
        try scratch.apply([[FixtureEntry("f", data: "x", uid: 1000, gid: 1001)]], fallback: false,
                          options: RootfsOptions(preserveOwnership: false))
        #expect(scratch.info("f")?.st_uid == geteuid())
    }

    @Test(arguments: bothResolvers) func paxXattrs(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([[
            FixtureEntry("d", type: "dir", pax: ["SCHILY.xattr.user.dir": "dv"]),
            FixtureEntry("d/f", data: "x", pax: ["SCHILY.xattr.user.color": "blue"]),
        ]], fallback: fallback)
        var value = [UInt8](repeating: 0, count: 64)
        let fileCount = lgetxattr(scratch.rootfs + "/d/f", "user.color", &value, value.count)
        #expect(fileCount == 4 && String(decoding: value[0..<4], as: UTF8.self) == "blue")
        let dirCount = lgetxattr(scratch.rootfs + "/d", "user.dir", &value, value.count)
        #expect(dirCount == 2 && String(decoding: value[0..<2], as: UTF8.self) == "dv")
    }

    @Test(arguments: ["pax", "gnu"]) func rawByteAndLongNames(format: String) throws {
        let scratch = try LayerScratch()
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9]  // not UTF-8
        let long = String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 150)
        try scratch.apply([[.raw(latin1, data: "bytes"), .file(long, "long")]], fallback: false, format: format)
        let name = String(decoding: latin1, as: UTF8.self)
        #expect(scratch.contents(long) == "long")
        // Look the raw name up by bytes: list the rootfs and compare.
        let fd = open(scratch.rootfs, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        let children = try DirectoryTree.children(of: fd).map { Array($0.name.dropLast()) }
        #expect(children.contains(latin1), "\(name) missing")
    }

    @Test func largeFileContentAndDrainedTrailer() throws {
        let scratch = try LayerScratch()
        let tars = try scratch.writeTars([[.random("big.bin", size: 3 * 1024 * 1024 + 17, seed: 7), .file("after", "z")]],
                                         trailing: 10_000)
        let writer = try RootfsWriter(rootPath: scratch.rootfs)
        let source = try CountingSource(path: tars[0])
        try LayerApplier.apply(from: source, to: writer)
        try writer.finish()
        let size = try FileManager.default.attributesOfItem(atPath: tars[0])[.size] as? Int
        #expect(source.delivered == size)  // drained past the end marker
        let expected = try ExternalCommand.check("/usr/bin/env", ["python3", "-c",
            "import random,hashlib;print(hashlib.sha256(random.Random(7).randbytes(3*1024*1024+17)).hexdigest())"])
        let actual = try ExternalCommand.check("/usr/bin/sha256sum", [scratch.rootfs + "/big.bin"])
        #expect(String(decoding: actual.prefix(64), as: UTF8.self) == String(decoding: expected.prefix(64), as: UTF8.self))
        #expect(scratch.contents("after") == "z")
    }

    @Test func resolverChoice() throws {
        let scratch = try LayerScratch()
        let forced = try RootfsWriter(rootPath: scratch.rootfs, options: RootfsOptions(forceResolveFallback: true))
        #expect(!forced.resolvesWithOpenat2)
        let normal = try RootfsWriter(rootPath: scratch.rootfs, options: RootfsOptions(forceResolveFallback: false))
        // This kernel (>= 5.6, no seccomp filter) has openat2.
        #expect(normal.resolvesWithOpenat2)
    }
}
