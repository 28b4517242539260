
/// A set of byte paths kept as 64-bit hashes: no allocation per insertion and
/// a few bytes per entry for layers of 100k files. A false "contains" needs a
/// 64-bit collision; its only effect would be keeping one lower-layer file
/// under an opaque directory.
struct PathHashSet {
    private var hashes = Set<Int>()

    static func hash(_ path: ArraySlice<UInt8>) -> Int {
        var hasher = Hasher()
        path.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }

    func contains(_ path: ArraySlice<UInt8>) -> Bool { hashes.contains(Self.hash(path)) }

    @discardableResult
    mutating func insert(_ path: ArraySlice<UInt8>) -> Bool { hashes.insert(Self.hash(path)).inserted }

    /// Inserts `path` and every ancestor, so that "is something of this layer
    /// at or below P" is one lookup. Stops at the first ancestor already
    /// present: its own ancestors were inserted with it.
    mutating func insertWithAncestors(_ path: ArraySlice<UInt8>) {
        insert(path)
        var end = path.endIndex
        while let slash = path[path.startIndex..<end].lastIndex(of: UInt8(ascii: "/")) {
            if !insert(path[path.startIndex..<slash]) { return }
            end = slash
        }
    }

    mutating func removeAll() { hashes.removeAll(keepingCapacity: true) }
    var isEmpty: Bool { hashes.isEmpty }
    var count: Int { hashes.count }
}
