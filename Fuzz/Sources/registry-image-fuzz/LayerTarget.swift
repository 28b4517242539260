import Foundation
import Glibc
@testable import FastExtract
import OCIModel

/// Layer bytes (plain tar, or gzip / zstd as sniffed) through the whole layer
/// pipeline into a scratch rootfs, as `in` applies them. Beside the rootfs
/// lies `outside/`, the target every escape would reach (seeds aim absolute
/// paths, `..` and symlinks at it): after each input its content must be as
/// it was, and the scratch directory must hold nothing but the two.
///
/// The scratch path is fixed (`RI_FUZZ_SCRATCH`, default /dev/shm/ri-fuzz-layer)
/// so that seeds can name it; one fuzzing process uses it at a time. tmpfs:
/// on ext4 the directory churn alone costs 2.5× the runs.
final class LayerTarget: @unchecked Sendable {
    // libFuzzer calls the target from one thread only.
    static let shared = LayerTarget()

    let base = ProcessInfo.processInfo.environment["RI_FUZZ_SCRATCH"] ?? "/dev/shm/ri-fuzz-layer"
    var rootfs: String { base + "/rootfs" }
    var outside: String { base + "/outside" }
    private var before: [String: String] = [:]

    private init() {
        removeTree(base)
        try? FileManager.default.createDirectory(atPath: outside + "/dir", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: outside + "/secret", contents: Data("secret".utf8))
        FileManager.default.createFile(atPath: outside + "/dir/inner", contents: Data("inner".utf8))
        before = snapshot(outside)
    }

    func run(_ bytes: [UInt8]) {
        removeTree(rootfs)
        guard mkdir(rootfs, 0o755) == 0 else { fatalError("cannot make \(rootfs): errno \(errno)") }
        var options = RootfsOptions()
        // The low bits of the length pick the resolver and inline or pooled writing, so all are fuzzed.
        options.forceResolveFallback = bytes.count & 1 == 1
        options.writers = bytes.count & 2 == 2 ? 3 : 1
        guard let writer = try? RootfsWriter(rootPath: rootfs, options: options) else { return }
        if Self.isCompressed(bytes) {
            // As `in` does: one pipeline, hashing, decompression and extraction on three threads.
            let extraction = RootfsExtraction(writer: writer, readAhead: .init(slots: 2, slotSize: 64 << 10))
            let hasher = SHA256Hasher()
            bytes.withUnsafeBytes { hasher.update($0) }
            do {
                let layer = DigestVerifier(
                    expected: hasher.finalize(), size: Int64(bytes.count),
                    next: try extraction.layer())
                try bytes.withUnsafeBytes { try layer.consume($0) }
                try layer.finish()
                try extraction.finish()
            } catch {
                extraction.cancel(error)
            }
        } else {
            // A plain tar needs no second thread: apply it straight from memory
            // (the same applier and writer, ~50× more inputs a second).
            try? LayerApplier.apply(from: MemorySource(bytes), to: writer)
            try? writer.finish()
        }
        let now = snapshot(outside)
        invariant(now == before, "outside the rootfs changed: \(Self.difference(before, now))")
        let names = listing(base)
        invariant(names == ["rootfs", "outside"], "the scratch directory holds \(names.sorted())")
    }

    /// Removes a tree the layer made, whatever its names (tar names need not
    /// be UTF-8, so no Foundation here) and modes (0000 directories too).
    private func removeTree(_ path: String) {
        removeEntry(AT_FDCWD, path)
    }

    private func removeEntry(_ parent: Int32, _ name: UnsafePointer<CChar>) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlinkat(parent, name, 0)
            return
        }
        fchmodat(parent, name, 0o700, 0)
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd >= 0 {
            for child in Self.names(fd) {
                child.withUnsafeBufferPointer { if let name = $0.baseAddress { removeEntry(fd, name) } }
            }
            close(fd)
        }
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    /// The entries of an open directory, as NUL-terminated byte names.
    private static func names(_ fd: Int32) -> [[CChar]] {
        let copy = dup(fd)
        guard copy >= 0, let directory = fdopendir(copy) else { return [] }
        defer { closedir(directory) }
        var result: [[CChar]] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { Array(UnsafeBufferPointer(start: $0, count: strlen($0) + 1)) }
            }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            result.append(name)
        }
        return result
    }

    /// The names in `path` (lossily decoded, which still tells any new one apart).
    private func listing(_ path: String) -> Set<String> {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        return Set(Self.names(fd).map { String(decoding: $0.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self) })
    }

    /// relative path -> "mode nlink size mtime content" for everything under `root`.
    private func snapshot(_ root: String) -> [String: String] {
        var result: [String: String] = [:]
        var info = stat()
        if lstat(root, &info) == 0 { result["."] = "\(info.st_mode) \(info.st_nlink) \(info.st_mtim.tv_sec)" }
        walk(root, relative: "", into: &result)
        return result
    }

    private func walk(_ root: String, relative: String, into result: inout [String: String]) {
        for name in listing(root + relative).sorted() {
            let path = relative + "/" + name
            var info = stat()
            guard lstat(root + path, &info) == 0 else {
                result[path] = "unreadable name"
                continue
            }
            var state = "\(info.st_mode) \(info.st_nlink) \(info.st_size) \(info.st_mtim.tv_sec)"
            if info.st_mode & S_IFMT == S_IFREG, let content = FileManager.default.contents(atPath: root + path) {
                state += " " + String(decoding: content, as: UTF8.self)
            }
            result[path] = state
            if info.st_mode & S_IFMT == S_IFDIR { walk(root, relative: path, into: &result) }
        }
    }

    private static func difference(_ a: [String: String], _ b: [String: String]) -> String {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
            .map { "\($0): \(a[$0] ?? "absent") -> \(b[$0] ?? "absent")" }.joined(separator: "; ")
    }
}

extension LayerTarget {
    /// gzip or zstd magic, as the layer pipeline sniffs it.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x1f, 0x8b]) || bytes.starts(with: [0x28, 0xb5, 0x2f, 0xfd])
    }
}

/// An input as the `ByteSource` the tar reader pulls from.
private final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0, let destination = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { destination.copyMemory(from: base + offset, byteCount: count) }
        }
        offset += count
        return count
    }
}
