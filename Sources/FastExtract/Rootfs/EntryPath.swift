import Glibc

/// A tar entry name cleaned lexically as if the rootfs were `/`: components
/// joined by "/", no leading slash, no "." and no ".." (which stops at the
/// root). Held NUL-terminated in a reused buffer so that both the whole path
/// and its last component can go straight to system calls.
public struct EntryPath {
    /// Path bytes followed by one NUL.
    private(set) var bytes: [UInt8] = [0]
    /// Index of the last component's first byte.
    private(set) var nameStart = 0

    init() { bytes.reserveCapacity(4096) }

    var isRoot: Bool { bytes.count == 1 }
    /// Length of the whole path, without the NUL.
    var length: Int { bytes.count - 1 }
    /// Length of the parent path ("" for top-level entries).
    var parentLength: Int { nameStart == 0 ? 0 : nameStart - 1 }
    var nameLength: Int { bytes.count - 1 - nameStart }

    mutating func set(_ name: UnsafePointer<CChar>) {
        let count = strlen(name)
        name.withMemoryRebound(to: UInt8.self, capacity: count) {
            set(UnsafeBufferPointer(start: $0, count: count))
        }
    }

    mutating func set<C: Collection<UInt8>>(_ raw: C) {
        bytes.removeAll(keepingCapacity: true)
        var index = raw.startIndex
        while index != raw.endIndex {
            let end = raw[index...].firstIndex(of: UInt8(ascii: "/")) ?? raw.endIndex
            let component = raw[index..<end]
            index = end == raw.endIndex ? end : raw.index(after: end)
            if component.isEmpty || component.elementsEqual([UInt8(ascii: ".")]) { continue }
            if component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                bytes.removeSubrange((bytes.lastIndex(of: UInt8(ascii: "/")) ?? 0)...)
                continue
            }
            if !bytes.isEmpty { bytes.append(UInt8(ascii: "/")) }
            bytes.append(contentsOf: component)
        }
        nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        bytes.append(0)
    }

    /// Whole path without the NUL.
    var path: ArraySlice<UInt8> { bytes[0..<length] }
    var parent: ArraySlice<UInt8> { bytes[0..<parentLength] }
    var name: ArraySlice<UInt8> { bytes[nameStart..<length] }

    func hasNamePrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard nameLength >= count else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + nameStart, prefix.utf8Start, count) == 0 }
    }

    /// Calls `body` with the last component as a C string, skipping `drop` leading bytes.
    func withName<R, E: Error>(dropping drop: Int = 0, _ body: (UnsafePointer<CChar>) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeBufferPointer { buffer throws(E) in
            try body(UnsafeRawPointer(buffer.baseAddress! + nameStart + drop).assumingMemoryBound(to: CChar.self))
        }
    }

    var displayPath: String { String(decoding: path, as: UTF8.self) }

    /// The one tar member-name cleaning, for names held as strings (the
    /// member index of docker-archive and OCI-archive tarballs): `./a//b`,
    /// `/a/b` and `a/./b` all name `a/b`.
    public static func cleaned(_ name: String) -> String {
        var path = EntryPath()
        path.set(Array(name.utf8))
        return path.displayPath
    }
}
