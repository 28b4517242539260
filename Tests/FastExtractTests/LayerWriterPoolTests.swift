@testable import FastExtract
import Foundation
import Glibc
import TestSupport
import Testing

/// The writer pool (`RootfsOptions.writers` > 1) must give what one thread
/// writing in entry order gives. Each case is applied with 1 and with 4
/// writers into two rootfs trees that must match (types, modes, sizes,
/// contents, link counts, file times), and the pooled run must have handed
/// files to the pool (else the case proves nothing). Many files per case, so
/// a reordering has room to show.
@Suite struct LayerWriterPoolTests {
    static let count = 400

    static func files(_ directory: String, _ tag: String, count: Int = count) -> [FixtureEntry] {
        (0..<count).map { file(directory, tag, $0) }
    }

    static func file(_ directory: String, _ tag: String, _ number: Int) -> FixtureEntry {
        .file("\(directory)/f\(number)", "\(tag) \(number)", mtime: 1_600_000_000 + Double(number))
    }

    /// Each file followed at once by `next(n)` (while the first may still be pending).
    static func pairs(_ directory: String, _ tag: String, _ next: (Int) -> FixtureEntry) -> [FixtureEntry] {
        (0..<count).flatMap { [file(directory, tag, $0), next($0)] }
    }

    /// Applies `layers` with one writer and with four; returns the scratch of the pooled run.
    @discardableResult
    static func compare(_ layers: [[FixtureEntry]], fallback: Bool) throws -> LayerScratch {
        let inline = try LayerScratch()
        let pooled = try LayerScratch()
        let tars = try inline.writeTars(layers)
        var handedOff = 0
        for (scratch, writers) in [(inline, 1), (pooled, 4)] {
            let writer = try RootfsWriter(rootPath: scratch.rootfs, options: RootfsOptions(forceResolveFallback: fallback, writers: writers))
            for tar in tars { try LayerApplier.apply(from: try FixtureFileSource(path: tar), to: writer) }
            try writer.finish()
            if writers > 1 { handedOff = writer.jobSequence }
        }
        #expect(handedOff > 0)
        let expected = try snapshot(inline.rootfs)
        let actual = try snapshot(pooled.rootfs)
        #expect(actual.count == expected.count)
        for (path, want) in expected where actual[path] != want {
            Issue.record("\(path): pooled \(actual[path] ?? "missing"), inline \(want)")
        }
        return pooled
    }

    /// Every path below `root` with what must match (directory times are left
    /// out: those of directories made as missing parents are the clock's).
    static func snapshot(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        let names = try #require(FileManager.default.subpathsOfDirectory(atPath: root) as [String]?)
        for name in names {
            var info = stat()
            guard lstat(root + "/" + name, &info) == 0 else { continue }
            var line = "type \(info.st_mode & S_IFMT) mode \(String(info.st_mode & 0o7777, radix: 8)) links \(info.st_nlink)"
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let data = FileManager.default.contents(atPath: root + "/" + name) ?? Data()
                line += " size \(info.st_size) mtime \(info.st_mtim.tv_sec) data \(String(decoding: data, as: UTF8.self))"
            case S_IFLNK:
                line += " -> \((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + name)) ?? "?")"
            default:
                break
            }
            result[name] = line
        }
        return result
    }

    @Test(arguments: bothResolvers) func samePathTwiceInALayer(fallback: Bool) throws {
        let pooled = try Self.compare([Self.pairs("d", "first") { Self.file("d", "second", $0) }
                                       + Self.files("d", "third", count: 100)], fallback: fallback)
        #expect(pooled.contents("d/f7") == "third 7" && pooled.contents("d/f200") == "second 200")
    }

    @Test(arguments: bothResolvers) func fileThenHardlinkToIt(fallback: Bool) throws {
        let pooled = try Self.compare([Self.pairs("d", "x") { .hardlink("d/h\($0)", to: "d/f\($0)") }], fallback: fallback)
        #expect(pooled.info("d/h9")?.st_ino == pooled.info("d/f9")?.st_ino)
    }

    @Test(arguments: bothResolvers) func fileThenWhiteoutOfIt(fallback: Bool) throws {
        let pooled = try Self.compare([[.file("d/lower", "l")], Self.pairs("d", "x") {
            $0 % 2 == 0 ? .file("d/.wh.f\($0)") : Self.file("e", "y", $0)
        }], fallback: fallback)
        #expect(!pooled.exists("d/f0") && pooled.contents("d/f1") == "x 1")
    }

    @Test(arguments: bothResolvers) func opaqueDirectoryAfterFiles(fallback: Bool) throws {
        let pooled = try Self.compare([
            Self.files("d", "lower", count: 50) + [.file("d/sub/deep", "lower")],
            Self.files("d/new", "new") + [.file("d/.wh..wh..opq")] + Self.files("d", "after", count: 20),
        ], fallback: fallback)
        #expect(!pooled.exists("d/f30") && !pooled.exists("d/sub"))
        #expect(pooled.contents("d/new/f3") == "new 3" && pooled.contents("d/f3") == "after 3")
    }

    @Test(arguments: bothResolvers) func fileReplacesATreeJustWritten(fallback: Bool) throws {
        let pooled = try Self.compare([Self.files("t/x", "tree") + [.file("t/x", "now a file")] + Self.files("t/y", "y")],
                                      fallback: fallback)
        #expect(pooled.contents("t/x") == "now a file")
    }

    @Test(arguments: bothResolvers) func sameFileThroughASymlinkedParent(fallback: Bool) throws {
        // "alias/fN" is "real/fN": the later entry must win though the paths differ.
        let pooled = try Self.compare([
            [.dir("real"), .symlink("alias", to: "real")],
            Self.pairs("real", "by real path") { Self.file("alias", "by alias", $0) },
        ], fallback: fallback)
        #expect(pooled.contents("real/f5") == "by alias 5")
    }

    @Test(arguments: bothResolvers) func directoryMergedAfterItsFiles(fallback: Bool) throws {
        let pooled = try Self.compare([
            [.dir("m", mode: 0o755)],
            Self.files("m", "x") + [.dir("m", mode: 0o2775, mtime: 1_500_000_000)] + Self.files("m/s", "s"),
        ], fallback: fallback)
        #expect(pooled.mode("m") == 0o2775 && pooled.mtime("m") == 1_500_000_000)
    }

    @Test func failedFileNamesTheEntry() throws {
        let pool = WriterPool(workers: 2)
        let path = Array("lib/broken.so".utf8)
        _ = pool.submit(WriterPool.Job(parentFD: -1, bytes: path + [0] + Array("data".utf8), nameStart: 4, pathLength: path.count,
                                   mode: 0o644, setsMode: false, atime: timespec(), mtime: timespec(), sequence: 1))
        pool.waitIdle()
        let failure = try #require(pool.firstFailure)
        pool.stop()
        let scratch = try LayerScratch()
        let writer = try RootfsWriter(rootPath: scratch.rootfs)
        #expect(writer.layerError(failure.error, displayPath: failure.path).description
            == "cannot create the file for layer entry 'lib/broken.so': Bad file descriptor")
    }
}
