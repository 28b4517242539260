import Foundation
import Glibc
import Testing

@Suite struct LayerReplacementTests {
    @Test(arguments: bothResolvers) func fileAndDirectoryReplaceEachOther(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("x", "file"), .file("y/inner", "i"), .file("same", "v1", mode: 0o600)],
            [.dir("x"), .file("x/child", "c"), .file("y", "now file"), .file("same", "v2", mode: 0o644)],
        ], fallback: fallback)
        #expect(scratch.type("x") == S_IFDIR)
        #expect(scratch.contents("x/child") == "c")
        #expect(scratch.contents("y") == "now file")
        #expect(scratch.contents("same") == "v2")
        #expect(scratch.mode("same") == 0o644)
    }

    @Test(arguments: bothResolvers) func directoryOntoDirectoryMerges(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("d", mode: 0o700, mtime: 1_000), .file("d/old", "o")],
            [.dir("d", mode: 0o755, mtime: 2_000), .file("d/new", "n")],
        ], fallback: fallback)
        #expect(scratch.contents("d/old") == "o")
        #expect(scratch.contents("d/new") == "n")
        #expect(scratch.mode("d") == 0o755)
        #expect(scratch.mtime("d") == 2_000)
    }

    @Test(arguments: bothResolvers) func symlinkIsReplacedNeverWrittenThrough(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("target", "original"), .symlink("link", to: "target"), .dir("realdir"), .file("realdir/f", "r"),
             .symlink("dirlink", to: "realdir")],
            [.file("link", "replacement"), .dir("dirlink"), .file("dirlink/g", "g")],
        ], fallback: fallback)
        #expect(scratch.contents("target") == "original")
        #expect(scratch.contents("link") == "replacement")
        #expect(scratch.type("dirlink") == S_IFDIR)  // a directory entry replaces the link
        #expect(scratch.contents("dirlink/g") == "g")
        #expect(!scratch.exists("realdir/g"))
    }

    @Test(arguments: bothResolvers) func lowerDirectoryTimesKeptWhenUpperAddsFiles(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("usr", mtime: 1_000), .dir("usr/lib", mtime: 2_000)],
            [.file("usr/lib/new.so", "so")],
        ], fallback: fallback)
        #expect(scratch.mtime("usr/lib") == 2_000)
        #expect(scratch.mtime("usr") == 1_000)
    }
}
