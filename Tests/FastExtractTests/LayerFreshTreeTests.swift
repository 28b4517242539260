import Foundation
import Glibc
import Testing
import TestSupport
@testable import FastExtract

/// Entries inside a directory the layer itself created are not remembered one
/// by one (memory for layers of a million files): opaque whiteouts must still
/// keep exactly what the layer wrote and remove exactly what lower layers did.
@Suite struct LayerFreshTreeTests {
    /// Layers applied in order, and what the rootfs must then hold.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let layers: [[FixtureEntry]]
        /// Files that must be there, with their contents.
        var contents: [String: String] = [:]
        /// Paths that must be gone.
        var absent: [String] = []
        var modes: [String: mode_t] = [:]
        var types: [String: mode_t] = [:]
        var links: [String: String] = [:]
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "an opaque marker inside a new tree keeps all of it", layers: [
            [.file("base", "b")],
            [.dir("n"), .file("n/a", "a"), .dir("n/sub"), .file("n/sub/b", "b"), .file("n/.wh..wh..opq"),
             .file("n/sub/.wh..wh..opq"), .file("n/c", "c")],
        ], contents: ["n/a": "a", "n/sub/b": "b", "n/c": "c", "base": "b"]),
        Case(name: "a new tree under an opaque lower directory is kept", layers: [
            [.dir("d"), .file("d/lower", "l"), .dir("d/old"), .file("d/old/x", "x")],
            [.dir("d/new"), .dir("d/new/deep"), .file("d/new/deep/y", "y"), .file("d/.wh..wh..opq")],
        ], contents: ["d/new/deep/y": "y"], absent: ["d/lower", "d/old"]),
        Case(name: "a repeated directory entry stays new", layers: [
            [.file("other", "o")],
            [.dir("n"), .file("n/x", "x"), .dir("n", mode: 0o750), .file("n/.wh..wh..opq")],
        ], contents: ["n/x": "x"], modes: ["n": 0o750]),
        // d/m exists below: merging onto it does not make it this layer's.
        Case(name: "a merged lower directory is not new", layers: [
            [.dir("d"), .dir("d/m"), .file("d/m/lower", "l")],
            [.dir("d/m"), .file("d/m/mine", "m"), .file("d/m/.wh..wh..opq")],
        ], contents: ["d/m/mine": "m"], absent: ["d/m/lower"]),
        Case(name: "a new directory removed and rebuilt implicitly is tracked again", layers: [
            [.file("m", "a lower file where the layer puts a directory")],
            [.dir("m"), .file("m/x", "x"), .file(".wh.m"), .file("m/y", "y"), .file("m/.wh..wh..opq"), .file("m/z", "z")],
        ], contents: ["m/y": "y", "m/z": "z"], absent: ["m/x"]),
        // A symlink replaces the lower directory, then a new directory replaces the link.
        Case(name: "a directory replaced by a new one loses its lower content", layers: [
            [.dir("r"), .file("r/lower", "l")],
            [.symlink("r", to: "elsewhere"), .dir("r"), .file("r/new", "n"), .file("r/.wh..wh..opq")],
        ], contents: ["r/new": "n"], absent: ["r/lower"], types: ["r": S_IFDIR]),
        // Directories made as missing parents (no entry of their own) are the layer's too.
        Case(name: "an implicit tree under an opaque lower directory is kept", layers: [
            [.dir("d"), .file("d/lower", "l"), .dir("d/old"), .file("d/old/x", "x")],
            [.file("d/new/deep/y", "y"), .file("d/.wh..wh..opq"), .file("d/new/z", "z")],
        ], contents: ["d/new/deep/y": "y", "d/new/z": "z"], absent: ["d/lower", "d/old"]),
        // n/a and n/x are whited out with n.
        Case(name: "an opaque marker inside an implicit tree keeps all of it", layers: [
            [.file("base", "b")],
            [.file("n/a", "a"), .file("n/sub/b", "b"), .file("n/.wh..wh..opq"), .file("n/sub/.wh..wh..opq"),
             .file("n/c", "c"), .file("n/x", "x"), .file(".wh.n"), .file("n/y", "y"), .file("n/.wh..wh..opq")],
        ], contents: ["n/y": "y", "base": "b"], absent: ["n/a", "n/x"]),
        // s is made, removed, then links to a lower directory: its opaque marker must empty that one.
        Case(name: "an implicit directory replaced by a link to a lower one is not new", layers: [
            [.dir("low"), .file("low/old", "o")],
            [.file("s/first", "1"), .file(".wh.s"), .symlink("s", to: "low"), .file("s/mine", "m"), .file("s/.wh..wh..opq")],
        ], contents: ["low/mine": "m"], absent: ["low/old"], links: ["s": "low"]),
    ]

    @Test(arguments: cases, bothResolvers) func opaqueMarkersKeepWhatTheLayerWrote(_ c: Case, fallback: Bool) throws {
        let scratch = try LayerScratch()
        try scratch.apply(c.layers, fallback: fallback)
        for (path, contents) in c.contents {
            #expect(scratch.contents(path) == contents, "\(path)")
        }
        for path in c.absent {
            #expect(!scratch.exists(path), "\(path)")
        }
        for (path, mode) in c.modes {
            #expect(scratch.mode(path) == mode, "\(path)")
        }
        for (path, type) in c.types {
            #expect(scratch.type(path) == type, "\(path)")
        }
        for (path, target) in c.links {
            #expect(scratch.linkTarget(path) == target, "\(path)")
        }
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
