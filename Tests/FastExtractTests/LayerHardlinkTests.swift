@testable import FastExtract
import Foundation
import Glibc
import Testing

@Suite struct LayerHardlinkTests {
    @Test(arguments: bothResolvers) func hardlinksShareTheInode(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("bin/busybox", "bb", mode: 0o755), .hardlink("bin/sh", to: "bin/busybox")],
            [.hardlink("usr/bin/ls", to: "bin/busybox"), .file("old", "o"), .hardlink("old", to: "bin/sh")],
        ], fallback: fallback)
        let original = try #require(scratch.info("bin/busybox"))
        #expect(scratch.info("bin/sh")?.st_ino == original.st_ino)
        #expect(scratch.info("usr/bin/ls")?.st_ino == original.st_ino)  // across layers
        #expect(scratch.info("old")?.st_ino == original.st_ino)  // replaces the file at its path
        #expect(original.st_nlink == 4)
    }

    @Test(arguments: bothResolvers) func missingTargetFailsNamingTheEntry(fallback: Bool) throws {
        let scratch = try LayerScratch()
        #expect {
            try scratch.apply([[.file("a", "x"), .hardlink("dir/link", to: "nowhere/file")]], fallback: fallback)
        } throws: { error in
            guard let error = error as? LayerError, case .hardlinkTargetMissing(let entry, let target) = error else { return false }
            return entry == "dir/link" && target == "nowhere/file"
        }
    }

    @Test(arguments: bothResolvers) func targetWhitedOutInTheSameLayerIsTolerated(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("lib/a.so", "a"), .file("lib/b.so", "b")],
            // Whiteout before the link: the link is skipped, the fetch goes on.
            [.file("lib/.wh.a.so"), .hardlink("lib/a-link", to: "lib/a.so"), .file("after", "ok"),
             // Link first, then the whiteout: the link survives.
             .hardlink("lib/b-link", to: "lib/b.so"), .file("lib/.wh.b.so")],
            // A later layer removing the target leaves the link alone.
            [.file("lib/.wh.b-unused")],
        ], fallback: fallback)
        #expect(!scratch.exists("lib/a.so"))
        #expect(!scratch.exists("lib/a-link"))
        #expect(scratch.contents("after") == "ok")
        #expect(!scratch.exists("lib/b.so"))
        #expect(scratch.contents("lib/b-link") == "b")
    }
}
