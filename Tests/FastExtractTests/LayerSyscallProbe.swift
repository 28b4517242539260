@testable import FastExtract
import Foundation
import Testing

/// Not a test of behaviour: applies the tar named by RI_LAYER_PROBE_TAR to
/// RI_LAYER_PROBE_ROOTFS so that `strace -c` can count system calls per entry.
/// Skipped unless both variables are set.
@Suite struct LayerSyscallProbe {
    static let tar = ProcessInfo.processInfo.environment["RI_LAYER_PROBE_TAR"]
    static let rootfs = ProcessInfo.processInfo.environment["RI_LAYER_PROBE_ROOTFS"]

    @Test(.enabled(if: tar != nil && rootfs != nil)) func applyProbeTar() throws {
        guard let tar = Self.tar, let rootfs = Self.rootfs else { return }
        let writer = try RootfsWriter(rootPath: rootfs)
        try LayerApplier.apply(from: try FixtureFileSource(path: tar), to: writer)
        try writer.finish()
        #expect(FileManager.default.fileExists(atPath: rootfs))
    }
}
