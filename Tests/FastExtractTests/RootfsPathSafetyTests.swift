@testable import FastExtract
import Foundation
import Glibc
import Testing

/// Nothing may be created or modified outside the rootfs; parents resolve as
/// if the rootfs were `/`.
@Suite struct RootfsPathSafetyTests {
    @Test(arguments: bothResolvers) func dotDotAndAbsoluteNamesStayInside(fallback: Bool) throws {
        let scratch = try LayerScratch()
        let marker = "ri-escape-\(UUID().uuidString)"
        try scratch.apply([[.file("../\(marker)", "dotdot"), .file("/\(marker)-abs", "abs"),
                            .file("a/../../../\(marker)-deep", "deep")]], fallback: fallback)
        #expect(scratch.contents(marker) == "dotdot")
        #expect(scratch.contents("\(marker)-abs") == "abs")
        #expect(scratch.contents("\(marker)-deep") == "deep")
        #expect(scratch.baseListing() == ["rootfs", "layer1.tar"])
        #expect(access("/\(marker)-abs", F_OK) != 0)
    }

    @Test(arguments: bothResolvers) func symlinkToRootThenFileThroughIt(fallback: Bool) throws {
        let scratch = try LayerScratch()
        let marker = "ri-escape-\(UUID().uuidString)"
        try scratch.apply([
            [.symlink("evil", to: "/"), .symlink("evil2", to: "/tmp")],
            [.file("evil/tmp/\(marker)", "inside"), .file("evil2/\(marker)-2", "inside2")],
        ], fallback: fallback)
        #expect(scratch.contents("tmp/\(marker)") == "inside")
        #expect(scratch.contents("tmp/\(marker)-2") == "inside2")
        #expect(access("/tmp/\(marker)", F_OK) != 0)
        #expect(access("/tmp/\(marker)-2", F_OK) != 0)
    }

    @Test(arguments: bothResolvers) func relativeSymlinkOutThenFileThroughIt(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.symlink("up", to: "../.."), .dir("a"), .symlink("a/up", to: "../../../..")],
            [.file("up/escaped", "x"), .file("a/up/escaped2", "y")],
        ], fallback: fallback)
        #expect(scratch.contents("escaped") == "x")
        #expect(scratch.contents("escaped2") == "y")
        #expect(scratch.baseListing() == ["rootfs", "layer1.tar", "layer2.tar"])
    }

    @Test(arguments: bothResolvers) func symlinkedParentsLandWhereTheyPoint(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("usr/lib"), .symlink("lib", to: "usr/lib"), .symlink("lib64", to: "/usr/lib"),
             .symlink("dangling", to: "opt/made")],
            [.file("lib/x/libfoo.so", "foo"), .file("lib64/libbar.so", "bar"), .file("dangling/f", "d")],
        ], fallback: fallback)
        #expect(scratch.linkTarget("lib") == "usr/lib")
        #expect(scratch.contents("usr/lib/x/libfoo.so") == "foo")
        #expect(scratch.contents("usr/lib/libbar.so") == "bar")
        #expect(scratch.contents("opt/made/f") == "d")
    }

    @Test(arguments: bothResolvers) func symlinkLoopIsAnError(fallback: Bool) throws {
        let scratch = try LayerScratch()
        #expect {
            try scratch.apply([[.symlink("a", to: "b"), .symlink("b", to: "a"), .file("a/f", "x")]], fallback: fallback)
        } throws: { error in
            guard let error = error as? LayerError, case .symlinkLoop(let entry) = error else { return false }
            return entry == "a/f"
        }
    }

    @Test(arguments: bothResolvers) func hardlinkTargetsResolveInsideRootfs(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([[.file("etc/passwd", "root:x:0:0::/root:/bin/sh\n"), .hardlink("pw", to: "/etc/passwd"),
                            .symlink("up", to: "../../.."), .hardlink("pw2", to: "up/etc/passwd")]], fallback: fallback)
        let inside = try #require(scratch.info("etc/passwd"))
        #expect(scratch.info("pw")?.st_ino == inside.st_ino)
        #expect(scratch.info("pw2")?.st_ino == inside.st_ino)
        var host = stat()
        #expect(stat("/etc/passwd", &host) == 0 && host.st_ino != inside.st_ino)
    }

    @Test(arguments: bothResolvers) func hardlinkToHostFileMissingInRootfsFails(fallback: Bool) throws {
        let scratch = try LayerScratch()
        #expect {
            try scratch.apply([[.hardlink("pw", to: "/etc/passwd")]], fallback: fallback)
        } throws: { error in
            "\(error)".contains("'pw'") && "\(error)".contains("etc/passwd")
        }
        #expect(!scratch.exists("pw"))
    }
}
