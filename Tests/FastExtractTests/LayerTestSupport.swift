@testable import FastExtract
import Foundation
import Glibc
@testable import OCIModel
import TestSupport

/// A temporary directory holding layer tars (written by Python's tarfile) and
/// a `rootfs/` they are applied to, removed on deinit.
final class LayerScratch {
    private let scratch: TemporaryDirectory
    var base: String { scratch.path }
    var rootfs: String { base + "/rootfs" }
    private var layerCount = 0

    init() throws {
        scratch = try TemporaryDirectory(prefix: "ri-layer-test")
    }

    /// Writes one tar per layer (one Python run) and returns their paths.
    func writeTars(_ layers: [[FixtureEntry]], format: String = "pax", trailing: Int? = nil) throws -> [String] {
        var specs: [FixtureLayer] = []
        for entries in layers {
            layerCount += 1
            specs.append(FixtureLayer(out: "\(base)/layer\(layerCount).tar", format: format, trailing: trailing, entries: entries))
        }
        try LayerFixtures.write(specs)
        return specs.map(\.out)
    }

    /// Applies the layers in order onto `rootfs` with a fresh writer.
    func apply(_ layers: [[FixtureEntry]], fallback: Bool, format: String = "pax",
               options: RootfsOptions? = nil) throws {
        let tars = try writeTars(layers, format: format)
        try apply(tars: tars, fallback: fallback, options: options)
    }

    func apply(tars: [String], fallback: Bool, options: RootfsOptions? = nil) throws {
        var chosen = options ?? RootfsOptions()
        chosen.forceResolveFallback = fallback
        let writer = try RootfsWriter(rootPath: rootfs, options: chosen)
        for tar in tars {
            try LayerApplier.apply(from: try FixtureFileSource(path: tar), to: writer)
        }
        try writer.finish()
    }

    // MARK: Inspection (lstat, never following the last component)

    func info(_ relative: String) -> stat? {
        var result = stat()
        return lstat(rootfs + "/" + relative, &result) == 0 ? result : nil
    }

    func exists(_ relative: String) -> Bool { info(relative) != nil }

    func type(_ relative: String) -> mode_t? { info(relative).map { $0.st_mode & S_IFMT } }

    func mode(_ relative: String) -> mode_t? { info(relative).map { $0.st_mode & 0o7777 } }

    func mtime(_ relative: String) -> Int? { info(relative).map { $0.st_mtim.tv_sec } }

    func contents(_ relative: String) -> String? {
        guard type(relative) == S_IFREG else { return nil }
        return FileManager.default.contents(atPath: rootfs + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func linkTarget(_ relative: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: rootfs + "/" + relative)
    }

    /// Names directly in the scratch directory (the rootfs and the tars).
    func baseListing() -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
    }
}

/// A `ByteSource` that counts what it hands out (to check draining) or fails.
final class CountingSource: ByteSource {
    private let inner: FixtureFileSource
    private(set) var delivered = 0
    private let failAfter: Int?
    struct Failure: Error {}

    init(path: String, failAfter: Int? = nil) throws {
        inner = try FixtureFileSource(path: path)
        self.failAfter = failAfter
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failAfter, delivered >= failAfter { throw Failure() }
        let limit = failAfter.map { min(buffer.count, max(0, $0 - delivered)) } ?? min(buffer.count, 7000)
        let count = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<limit]))
        delivered += count
        return count
    }
}

let bothResolvers = [false, true]
