import Foundation

/// One tar entry for `Tests/StandIns/layers/make_layers.py` (Python's tarfile
/// writes the tar, not the code under test).
public struct FixtureEntry: Encodable, Sendable {
    public var name: String?
    public var name_hex: String?
    public var type: String
    public var data: String?
    public var random_size: Int?
    public var seed: Int?
    public var mode: Int?
    public var mtime: Double?
    public var uid: Int?
    public var gid: Int?
    public var linkname: String?
    public var pax: [String: String]?

    public init(_ name: String, type: String = "file", data: String? = nil, mode: Int? = nil, mtime: Double? = nil,
                uid: Int? = nil, gid: Int? = nil, linkname: String? = nil, pax: [String: String]? = nil) {
        self.name = name
        self.type = type
        self.data = data
        self.mode = mode
        self.mtime = mtime
        self.uid = uid
        self.gid = gid
        self.linkname = linkname
        self.pax = pax
    }

    public static func file(_ name: String, _ data: String = "", mode: Int? = nil, mtime: Double? = nil) -> Self {
        Self(name, data: data, mode: mode, mtime: mtime)
    }
    public static func dir(_ name: String, mode: Int? = nil, mtime: Double? = nil) -> Self {
        Self(name, type: "dir", mode: mode, mtime: mtime)
    }
    public static func symlink(_ name: String, to target: String) -> Self { Self(name, type: "symlink", linkname: target) }
    public static func hardlink(_ name: String, to target: String) -> Self { Self(name, type: "hardlink", linkname: target) }
    /// An entry whose name is raw bytes (need not be UTF-8).
    public static func raw(_ name: [UInt8], data: String = "") -> Self {
        var entry = Self("", data: data)
        entry.name = nil
        entry.name_hex = name.map { String(format: "%02x", $0) }.joined()
        return entry
    }
    public static func random(_ name: String, size: Int, seed: Int = 1) -> Self {
        var entry = Self(name)
        entry.random_size = size
        entry.seed = seed
        return entry
    }
}

public struct FixtureLayer: Encodable, Sendable {
    public var out: String
    public var format: String
    public var truncate: Int?
    public var trailing: Int?
    public var entries: [FixtureEntry]

    public init(out: String, format: String = "pax", truncate: Int? = nil, trailing: Int? = nil, entries: [FixtureEntry]) {
        self.out = out
        self.format = format
        self.truncate = truncate
        self.trailing = trailing
        self.entries = entries
    }
}

public enum LayerFixtures {
    public static let scripts = TestPaths.standIns.appendingPathComponent("layers")

    /// Writes every layer's tar with Python's tarfile.
    public static func write(_ layers: [FixtureLayer]) throws {
        struct Spec: Encodable { let layers: [FixtureLayer] }
        let input = try JSONEncoder().encode(Spec(layers: layers))
        try ExternalCommand.check(ExternalCommand.python, [scripts.appendingPathComponent("make_layers.py").path], stdin: input)
    }
}
