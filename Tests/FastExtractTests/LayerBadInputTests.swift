@testable import FastExtract
import Foundation
import Glibc
import TestSupport
import Testing

@Suite struct LayerBadInputTests {
    @Test func truncatedTarFails() throws {
        let scratch = try LayerScratch()
        try LayerFixtures.write([FixtureLayer(out: scratch.base + "/t.tar", truncate: 1536,
                                              entries: [.random("big", size: 100_000), .file("next", "n")])])
        let writer = try RootfsWriter(rootPath: scratch.rootfs)
        #expect(throws: LayerError.self) { try LayerApplier.apply(from: try FixtureFileSource(path: scratch.base + "/t.tar"), to: writer) }
        try writer.finish()
    }

    @Test func garbageFails() throws {
        let scratch = try LayerScratch()
        let path = scratch.base + "/garbage"
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: path))
        let writer = try RootfsWriter(rootPath: scratch.rootfs)
        #expect(throws: LayerError.self) { try LayerApplier.apply(from: try FixtureFileSource(path: path), to: writer) }
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.rootfs).isEmpty)
    }

    @Test func sourceErrorIsRethrownAsIs() throws {
        let scratch = try LayerScratch()
        let tars = try scratch.writeTars([[.random("big", size: 200_000)]])
        let writer = try RootfsWriter(rootPath: scratch.rootfs)
        #expect(throws: CountingSource.Failure.self) {
            try LayerApplier.apply(from: try CountingSource(path: tars[0], failAfter: 50_000), to: writer)
        }
        try writer.finish()
    }

    @Test func emptyStreamIsAnEmptyLayer() throws {
        let scratch = try LayerScratch()
        let path = scratch.base + "/empty"
        try Data(count: 1024).write(to: URL(fileURLWithPath: path))
        let writer = try RootfsWriter(rootPath: scratch.rootfs)
        try LayerApplier.apply(from: try FixtureFileSource(path: path), to: writer)
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.rootfs).isEmpty)
    }

    @Test(arguments: bothResolvers) func nonDirectoryParentAndRootNamedFileFail(fallback: Bool) throws {
        let scratch = try LayerScratch()
        #expect(throws: LayerError.self) {
            try scratch.apply([[.file("f", "x"), .file("f/child", "y")]], fallback: fallback)
        }
        #expect(throws: LayerError.self) {
            try scratch.apply([[.file("./", "x")]], fallback: fallback)
        }
        #expect(scratch.baseListing() == ["rootfs", "layer1.tar", "layer2.tar"])
    }

    @Test func paxPathWithNulStaysInside() throws {
        let scratch = try LayerScratch()
        // A PAX record may carry a NUL; the name ends there, and nothing escapes.
        do {
            try scratch.apply([[FixtureEntry("placeholder", data: "x", pax: ["path": "in\u{0}/../../escape"])]], fallback: false)
        } catch {
            #expect(error is LayerError)
        }
        #expect(scratch.baseListing() == ["rootfs", "layer1.tar"])
    }
}
