import Foundation
import Glibc
import Testing

@Suite struct LayerWhiteoutTests {
    @Test(arguments: bothResolvers) func whiteoutRemovesFileAndTree(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("a/keep", "k"), .file("a/gone", "g"), .dir("tree"), .file("tree/x/y", "deep"), .symlink("ln", to: "a/keep")],
            [.file("a/.wh.gone"), .file(".wh.tree"), .file(".wh.ln"), .file(".wh.never-existed")],
        ], fallback: fallback)
        #expect(scratch.contents("a/keep") == "k")
        #expect(!scratch.exists("a/gone"))
        #expect(!scratch.exists("tree"))
        #expect(!scratch.exists("ln"))
        #expect(!scratch.exists("a/.wh.gone"))  // whiteouts are never written
        #expect(!scratch.exists(".wh.tree"))
    }

    @Test(arguments: bothResolvers) func opaqueDirectoryHidesOnlyLowerContent(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("d", mode: 0o755), .file("d/lower", "l"), .file("d/sub/lower2", "l2"), .file("d/both", "old")],
            // Same-layer entries before and after the marker must both survive.
            [.dir("d", mode: 0o711, mtime: 1_500_000_000), .file("d/before", "b"), .file("d/sub/new", "n"),
             .file("d/.wh..wh..opq"), .file("d/after", "a"), .file("d/both", "new")],
        ], fallback: fallback)
        #expect(!scratch.exists("d/lower"))
        #expect(!scratch.exists("d/sub/lower2"))  // below a kept directory, lower content still goes
        #expect(scratch.contents("d/sub/new") == "n")
        #expect(scratch.contents("d/before") == "b")
        #expect(scratch.contents("d/after") == "a")
        #expect(scratch.contents("d/both") == "new")
        #expect(!scratch.exists("d/.wh..wh..opq"))
        #expect(scratch.mode("d") == 0o711)  // the directory keeps its own metadata
        #expect(scratch.mtime("d") == 1_500_000_000)
    }

    @Test(arguments: bothResolvers) func opaqueWithoutDirectoryEntry(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.dir("d", mode: 0o750, mtime: 1_400_000_000), .file("d/lower", "l")],
            [.file("d/.wh..wh..opq")],
        ], fallback: fallback)
        #expect(scratch.type("d") == S_IFDIR)
        #expect(scratch.mode("d") == 0o750)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.rootfs + "/d").isEmpty)
        #expect(scratch.mtime("d") == 1_400_000_000)  // restored after the removal, as umoci does
    }

    @Test(arguments: bothResolvers) func whiteoutThenRecreateInSameLayer(fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply([
            [.file("etc/conf/a", "1")],
            [.file("etc/.wh.conf"), .file("etc/conf", "now a file")],
        ], fallback: fallback)
        #expect(scratch.contents("etc/conf") == "now a file")
    }
}
