@testable import FastExtract
import Foundation
import Glibc
@testable import OCIModel
import TestSupport

/// One hostile blob written by `Tests/StandIns/hostile/make_hostile.py`.
struct HostileBlob: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let file: String
    /// What a manifest would claim; smaller than the file for the bounded bomb.
    let declaredSize: Int64
    var description: String { name }
}

/// A scratch directory holding `rootfs/` and, beside it, `outside/` — the
/// target of every escape attempt — whose exact content is recorded so any
/// write, removal or link outside the rootfs is detected.
final class HostileLayerSandbox {
    /// Holds `sandbox/` (rootfs and outside) and, beside it, `blobs/`.
    private let scratch: TemporaryDirectory
    var base: String { scratch.path + "/sandbox" }
    var rootfs: String { base + "/rootfs" }
    var outside: String { base + "/outside" }
    var blobs: String { scratch.path + "/blobs" }
    private let outsideBefore: [String: String]

    init() throws {
        scratch = try TemporaryDirectory(prefix: "ri-hostile")
        let base = scratch.path + "/sandbox"
        try FileManager.default.createDirectory(atPath: base + "/outside/dir", withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: base + "/outside/secret"))
        try Data("inner".utf8).write(to: URL(fileURLWithPath: base + "/outside/dir/inner"))
        outsideBefore = Self.snapshot(base + "/outside")
    }

    /// Generates blobs with the Python helper (`corpus`, or `random SEED COUNT`).
    func generate(_ arguments: [String]) throws -> [HostileBlob] {
        let script = TestPaths.standIns.appendingPathComponent("hostile/make_hostile.py").path
        let mode = arguments[0]
        let out = try ExternalCommand.check(
            "/usr/bin/env", ["python3", script, mode, blobs + "/" + mode, outside] + arguments.dropFirst())
        return try JSONDecoder().decode([HostileBlob].self, from: out)
    }

    /// Applies `blob` through the whole layer pipeline (size + digest check,
    /// decompression, tar parsing, rootfs writer) into a fresh rootfs.
    /// Returns the error, if any; a crash would end the test process.
    func apply(_ blob: HostileBlob, fallback: Bool) throws -> (any Error)? {
        try? FileManager.default.removeItem(atPath: rootfs)
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: false)
        let data = try Data(contentsOf: URL(fileURLWithPath: blob.file))
        var options = RootfsOptions()
        options.forceResolveFallback = fallback
        let extraction = RootfsExtraction(
            writer: try RootfsWriter(rootPath: rootfs, options: options), readAhead: .init(slots: 2, slotSize: 64 << 10))
        let hasher = SHA256Hasher()
        data.withUnsafeBytes { hasher.update($0) }
        do {
            let layer = DigestVerifier(
                expected: hasher.finalize(), size: blob.declaredSize, next: try extraction.layer())
            var offset = 0
            while offset < data.count {
                let end = min(offset + 50_000, data.count)
                try data[offset..<end].withUnsafeBytes { try layer.consume($0) }
                offset = end
            }
            try layer.finish()
            try extraction.finish()
            return nil
        } catch {
            return extraction.cancel(error)
        }
    }

    /// What changed outside the rootfs since the sandbox was made ([] = nothing).
    func escapes() -> [String] {
        var problems: [String] = []
        let now = Self.snapshot(outside)
        for (path, state) in now where outsideBefore[path] != state {
            problems.append("\(path): \(outsideBefore[path] ?? "absent") -> \(state)")
        }
        for path in outsideBefore.keys where now[path] == nil { problems.append("\(path) removed") }
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
        if names != ["rootfs", "outside"] { problems.append("sandbox holds \(names.sorted())") }
        return problems.sorted()
    }

    /// Bytes written into the rootfs (regular files, apparent size).
    func rootfsBytes() -> Int64 {
        var total: Int64 = 0
        guard let walker = FileManager.default.enumerator(atPath: rootfs) else { return 0 }
        while let relative = walker.nextObject() as? String {
            var info = stat()
            if lstat(rootfs + "/" + relative, &info) == 0, info.st_mode & S_IFMT == S_IFREG { total += Int64(info.st_size) }
        }
        return total
    }

    /// path -> "type mode size nlink content" for everything under `root`.
    private static func snapshot(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        var info = stat()
        if lstat(root, &info) == 0 { result["."] = "\(info.st_mode) \(info.st_nlink) \(info.st_mtim.tv_sec)" }
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            var info = stat()
            guard lstat(root + "/" + relative, &info) == 0 else { continue }
            var state = "\(info.st_mode) \(info.st_nlink) \(info.st_size)"
            if info.st_mode & S_IFMT == S_IFREG, let content = FileManager.default.contents(atPath: root + "/" + relative) {
                state += " " + String(decoding: content, as: UTF8.self)
            }
            result[relative] = state
        }
        return result
    }
}
