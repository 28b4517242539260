import Foundation
import Glibc
import Testing
import TestSupport
@testable import FastExtract

/// Entries inside a directory the layer itself created are not remembered one
/// by one (memory for layers of a million files): opaque whiteouts must still
/// keep exactly what the layer wrote and remove exactly what lower layers did.
@Suite struct LayerFreshTreeTests {
    @Test(arguments: bothResolvers) func opaqueInsideANewTreeKeepsAllOfIt(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("base", "b")],
            [.dir("n"), .file("n/a", "a"), .dir("n/sub"), .file("n/sub/b", "b"), .file("n/.wh..wh..opq"),
             .file("n/sub/.wh..wh..opq"), .file("n/c", "c")],
        ], fallback: fallback)
        #expect(scratch.contents("n/a") == "a")
        #expect(scratch.contents("n/sub/b") == "b")
        #expect(scratch.contents("n/c") == "c")
        #expect(scratch.contents("base") == "b")
    }

    @Test(arguments: bothResolvers) func newTreeUnderAnOpaqueLowerDirectoryIsKept(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("d"), .file("d/lower", "l"), .dir("d/old"), .file("d/old/x", "x")],
            [.dir("d/new"), .dir("d/new/deep"), .file("d/new/deep/y", "y"), .file("d/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(!scratch.exists("d/lower"))
        #expect(!scratch.exists("d/old"))
        #expect(scratch.contents("d/new/deep/y") == "y")
    }

    @Test(arguments: bothResolvers) func repeatedDirectoryEntryStaysNew(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("other", "o")],
            [.dir("n"), .file("n/x", "x"), .dir("n", mode: 0o750), .file("n/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(scratch.contents("n/x") == "x")
        #expect(scratch.mode("n") == 0o750)
    }

    @Test(arguments: bothResolvers) func mergedLowerDirectoryIsNotNew(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("d"), .dir("d/m"), .file("d/m/lower", "l")],
            // d/m exists below: merging onto it does not make it this layer's.
            [.dir("d/m"), .file("d/m/mine", "m"), .file("d/m/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(!scratch.exists("d/m/lower"))
        #expect(scratch.contents("d/m/mine") == "m")
    }

    @Test(arguments: bothResolvers) func newDirectoryRemovedAndRebuiltImplicitlyIsTrackedAgain(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("m", "a lower file where the layer puts a directory")],
            [.dir("m"), .file("m/x", "x"), .file(".wh.m"), .file("m/y", "y"), .file("m/.wh..wh..opq"), .file("m/z", "z")],
        ], fallback: fallback)
        #expect(!scratch.exists("m/x"))
        #expect(scratch.contents("m/y") == "y")
        #expect(scratch.contents("m/z") == "z")
    }

    @Test(arguments: bothResolvers) func directoryReplacedByANewOneLosesLowerContent(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("r"), .file("r/lower", "l")],
            // A symlink replaces the lower directory, then a new directory replaces the link.
            [.symlink("r", to: "elsewhere"), .dir("r"), .file("r/new", "n"), .file("r/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(!scratch.exists("r/lower"))
        #expect(scratch.contents("r/new") == "n")
        #expect(scratch.type("r") == S_IFDIR)
    }

    // Directories made as missing parents (no entry of their own) are the layer's too.

    @Test(arguments: bothResolvers) func implicitTreeUnderAnOpaqueLowerDirectoryIsKept(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("d"), .file("d/lower", "l"), .dir("d/old"), .file("d/old/x", "x")],
            [.file("d/new/deep/y", "y"), .file("d/.wh..wh..opq"), .file("d/new/z", "z")],
        ], fallback: fallback)
        #expect(!scratch.exists("d/lower"))
        #expect(!scratch.exists("d/old"))
        #expect(scratch.contents("d/new/deep/y") == "y")
        #expect(scratch.contents("d/new/z") == "z")
    }

    @Test(arguments: bothResolvers) func opaqueInsideAnImplicitTreeKeepsAllOfIt(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("base", "b")],
            [.file("n/a", "a"), .file("n/sub/b", "b"), .file("n/.wh..wh..opq"), .file("n/sub/.wh..wh..opq"),
             .file("n/c", "c"), .file("n/x", "x"), .file(".wh.n"), .file("n/y", "y"), .file("n/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(!scratch.exists("n/a") && !scratch.exists("n/x"))  // whited out with n
        #expect(scratch.contents("n/y") == "y")
        #expect(scratch.contents("base") == "b")
    }

    @Test(arguments: bothResolvers) func implicitDirectoryReplacedByALinkToALowerOneIsNotNew(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("low"), .file("low/old", "o")],
            // s is made, removed, then links to a lower directory: its opaque marker must empty that one.
            [.file("s/first", "1"), .file(".wh.s"), .symlink("s", to: "low"), .file("s/mine", "m"), .file("s/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(!scratch.exists("low/old"))
        #expect(scratch.contents("low/mine") == "m")
        #expect(scratch.linkTarget("s") == "low")
    }

    @Test(arguments: bothResolvers) func implicitTreeIsNotRecordedFileByFile(fallback: Bool) throws {
        let scratch = try LayerScratch()
        let entries: [FixtureEntry] = (0..<1000).map { .file("top/d\($0 / 100)/f\($0)", "") }
        let tars = try scratch.writeTars([[.file("lower", "l")], entries])
        let writer = try RootfsWriter(rootPath: scratch.rootfs, options: RootfsOptions(forceResolveFallback: fallback, writers: 1))
        for tar in tars { try LayerApplier.apply(from: try FixtureFileSource(path: tar), to: writer) }
        #expect(writer.layerPaths.count == 1)  // "top" alone stands for the 1010 paths below it
        try writer.finish()
        #expect(scratch.exists("top/d9/f999"))
    }
}
