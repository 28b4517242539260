import FastExtract
import Foundation
@testable import ImageIO
import Logging
@testable import OCIModel
import TestSupport
import Testing

/// The rootfs export through the image seam, from layouts made by Python
/// (Tests/StandIns/archives/make_images.py), without a registry.
@Suite struct RootfsDestinationTests {
    private func export(_ layout: String, to rootfs: URL) throws {
        let source = try ImageSourceLocator.open(path: try ImageFixtures.path(layout))
        let logger = Logger(label: "test")
        _ = try ImageTransfer(platform: .host, progress: TransferProgress(enabled: false), logger: logger)
            .copy(from: source, to: RootfsDestination(path: rootfs.path, logger: logger))
    }

    @Test func refusesToReplaceANonEmptyDirectory() throws {
        let scratch = try TemporaryDirectory()
        let rootfs = scratch.appending("rootfs")
        try FileManager.default.createDirectory(at: rootfs, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: rootfs.appendingPathComponent("keep"))

        #expect(throws: ImageError.self) { try export("layout-single", to: rootfs) }
        #expect(try String(contentsOf: rootfs.appendingPathComponent("keep"), encoding: .utf8) == "precious")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["rootfs"])
    }

    @Test func takesThePlaceOfAnEmptyDirectory() throws {
        let scratch = try TemporaryDirectory()
        let rootfs = scratch.appending("rootfs")
        try FileManager.default.createDirectory(at: rootfs, withIntermediateDirectories: true)

        try export("layout-single", to: rootfs)
        #expect(try !FileManager.default.contentsOfDirectory(atPath: rootfs.path).isEmpty)
        // No staging directory is left beside the result.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["rootfs"])
    }

    @Test func corruptLayerLeavesNothingBehind() throws {
        let scratch = try TemporaryDirectory()
        let rootfs = scratch.appending("rootfs")

        do {
            try export("layout-corrupt", to: rootfs)
            Issue.record("a corrupt layer was accepted")
        } catch let failure as LayerFailure {
            #expect(failure.underlying is BlobVerificationError || failure.underlying is DecompressionError)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }
}
