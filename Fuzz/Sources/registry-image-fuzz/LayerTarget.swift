import Foundation
import Glibc
@testable import FastExtract

/// Layer bytes (plain tar, or gzip / zstd as sniffed) through the whole layer
/// pipeline into a scratch rootfs, as `in` applies them. Beside the rootfs
/// lies `outside/`, the target every escape would reach (seeds aim absolute
/// paths, `..` and symlinks at it): after each input its content must be as
/// it was, and the scratch directory must hold nothing but the two.
///
/// The scratch path is fixed (`RI_FUZZ_SCRATCH`, default /tmp/ri-fuzz-layer)
/// so that seeds can name it; one fuzzing process uses it at a time.
final class LayerTarget: @unchecked Sendable {
    // libFuzzer calls the target from one thread only.
    static let shared = LayerTarget()

    let base = ProcessInfo.processInfo.environment["RI_FUZZ_SCRATCH"] ?? "/tmp/ri-fuzz-layer"
    var rootfs: String { base + "/rootfs" }
    var outside: String { base + "/outside" }
    private var before: [String: String] = [:]

    private init() {
        try? FileManager.default.removeItem(atPath: base)
        try? FileManager.default.createDirectory(atPath: outside + "/dir", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: outside + "/secret", contents: Data("secret".utf8))
        FileManager.default.createFile(atPath: outside + "/dir/inner", contents: Data("inner".utf8))
        before = snapshot(outside)
    }

    func run(_ bytes: [UInt8]) {
        removeTree(rootfs)
        guard mkdir(rootfs, 0o755) == 0 else { fatalError("cannot make \(rootfs): errno \(errno)") }
        var options = RootfsOptions()
        // The low bit of the length picks the resolver, so both are fuzzed.
        options.forceResolveFallback = bytes.count & 1 == 1
        guard let writer = try? RootfsWriter(rootPath: rootfs, options: options) else { return }
        let box = WriterBox(writer: writer)
        let hasher = SHA256Hasher()
        bytes.withUnsafeBytes { hasher.update($0) }
        let extraction = LayerExtraction(expected: hasher.finalize(), size: Int64(bytes.count), slots: 2,
                                         slotSize: 64 << 10) { try LayerApplier.apply(from: $0, to: box.writer) }
        do {
            try bytes.withUnsafeBytes { try extraction.consume($0) }
            try extraction.finish()
            try writer.finish()
        } catch {
            extraction.cancel(error)
        }
        let now = snapshot(outside)
        invariant(now == before, "outside the rootfs changed: \(Self.difference(before, now))")
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
        invariant(names == ["rootfs", "outside"], "the scratch directory holds \(names.sorted())")
    }

    /// Removes a tree the layer made, whatever modes it left (0000 directories too).
    private func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                removeTree(path + "/" + name)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// path -> "mode nlink size mtime content" for everything under `root`.
    private func snapshot(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        var info = stat()
        if lstat(root, &info) == 0 { result["."] = "\(info.st_mode) \(info.st_nlink) \(info.st_mtim.tv_sec)" }
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            guard lstat(root + "/" + relative, &info) == 0 else { continue }
            var state = "\(info.st_mode) \(info.st_nlink) \(info.st_size) \(info.st_mtim.tv_sec)"
            if info.st_mode & S_IFMT == S_IFREG, let content = FileManager.default.contents(atPath: root + "/" + relative) {
                state += " " + String(decoding: content, as: UTF8.self)
            }
            result[relative] = state
        }
        return result
    }

    private static func difference(_ a: [String: String], _ b: [String: String]) -> String {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
            .map { "\($0): \(a[$0] ?? "absent") -> \(b[$0] ?? "absent")" }.joined(separator: "; ")
    }
}

/// Hands the writer to the extraction thread (the fuzz thread only feeds bytes meanwhile).
private struct WriterBox: @unchecked Sendable {
    let writer: RootfsWriter
}
