import Foundation

/// One tar entry of a fixture layer; mirrors the JSON read by
/// `Tests/StandIns/fixtures/build_image.py` (Python's tarfile writes it).
public struct EntrySpec: Encodable, Sendable {
    public enum Kind: String, Encodable, Sendable {
        case file, dir, symlink, hardlink, fifo, chardev, blockdev
    }

    public var path: String
    /// Raw bytes of the name, for names that are not UTF-8 (overrides `path`).
    public var pathBytes: [UInt8]?
    public var type: Kind
    public var content: String?
    public var contentBytes: Data?
    /// Pseudo-random content of this many bytes, deterministic per `seed` (or path).
    public var size: Int?
    public var seed: String?
    public var mode: Int?
    public var uid: Int?
    public var gid: Int?
    public var uname: String?
    public var gname: String?
    /// Seconds since the epoch (default 1700000000).
    public var mtime: Int?
    public var linkname: String?
    public var linknameBytes: [UInt8]?
    /// PAX `SCHILY.xattr.*` records.
    public var xattrs: [String: String]?
    public var devmajor: Int?
    public var devminor: Int?

    public init(path: String, type: Kind) {
        self.path = path
        self.type = type
    }

    public static func file(_ path: String, _ content: String = "", mode: Int? = nil, uid: Int? = nil, gid: Int? = nil) -> EntrySpec {
        var e = EntrySpec(path: path, type: .file)
        e.content = content
        e.mode = mode
        e.uid = uid
        e.gid = gid
        return e
    }

    public static func file(_ path: String, bytes: Data, mode: Int? = nil) -> EntrySpec {
        var e = EntrySpec(path: path, type: .file)
        e.contentBytes = bytes
        e.mode = mode
        return e
    }

    /// A file of `size` deterministic pseudo-random bytes.
    public static func randomFile(_ path: String, size: Int, seed: String? = nil) -> EntrySpec {
        var e = EntrySpec(path: path, type: .file)
        e.size = size
        e.seed = seed
        return e
    }

    public static func dir(_ path: String, mode: Int? = nil, uid: Int? = nil, gid: Int? = nil) -> EntrySpec {
        var e = EntrySpec(path: path, type: .dir)
        e.mode = mode
        e.uid = uid
        e.gid = gid
        return e
    }

    public static func symlink(_ path: String, to target: String) -> EntrySpec {
        var e = EntrySpec(path: path, type: .symlink)
        e.linkname = target
        return e
    }

    public static func hardlink(_ path: String, to target: String) -> EntrySpec {
        var e = EntrySpec(path: path, type: .hardlink)
        e.linkname = target
        return e
    }

    public static func fifo(_ path: String) -> EntrySpec { EntrySpec(path: path, type: .fifo) }

    public static func chardev(_ path: String, major: Int, minor: Int) -> EntrySpec {
        var e = EntrySpec(path: path, type: .chardev)
        e.devmajor = major
        e.devminor = minor
        return e
    }

    /// `.wh.NAME` next to NAME: removes NAME from lower layers.
    public static func whiteout(_ path: String) -> EntrySpec {
        let url = URL(fileURLWithPath: "/" + path)
        let parent = url.deletingLastPathComponent().path.dropFirst()
        return .file((parent.isEmpty ? "" : parent + "/") + ".wh." + url.lastPathComponent)
    }

    /// `DIR/.wh..wh..opq`: hides what lower layers put in DIR.
    public static func opaque(_ directory: String) -> EntrySpec {
        .file(directory.isEmpty ? ".wh..wh..opq" : directory + "/.wh..wh..opq")
    }

    private enum CodingKeys: String, CodingKey {
        case path, pathBase64, type, content, contentBase64, size, seed, mode, uid, gid, uname, gname, mtime
        case linkname, linknameBase64, xattrs, devmajor, devminor
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encodeIfPresent(pathBytes.map { Data($0).base64EncodedString() }, forKey: .pathBase64)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(content, forKey: .content)
        try c.encodeIfPresent(contentBytes?.base64EncodedString(), forKey: .contentBase64)
        try c.encodeIfPresent(size, forKey: .size)
        try c.encodeIfPresent(seed, forKey: .seed)
        try c.encodeIfPresent(mode, forKey: .mode)
        try c.encodeIfPresent(uid, forKey: .uid)
        try c.encodeIfPresent(gid, forKey: .gid)
        try c.encodeIfPresent(uname, forKey: .uname)
        try c.encodeIfPresent(gname, forKey: .gname)
        try c.encodeIfPresent(mtime, forKey: .mtime)
        try c.encodeIfPresent(linkname, forKey: .linkname)
        try c.encodeIfPresent(linknameBytes.map { Data($0).base64EncodedString() }, forKey: .linknameBase64)
        try c.encodeIfPresent(xattrs, forKey: .xattrs)
        try c.encodeIfPresent(devmajor, forKey: .devmajor)
        try c.encodeIfPresent(devminor, forKey: .devminor)
    }
}

/// One layer of a fixture image.
public struct LayerSpec: Encodable, Sendable {
    public enum Compression: String, Encodable, Sendable {
        case gzip, zstd, none
        /// zstd bytes under a gzip media type (as some registries hold them).
        case zstdLabelledGzip = "zstd-labelled-gzip"
    }

    public enum TarFormat: String, Encodable, Sendable { case pax, gnu, ustar }

    public var entries: [EntrySpec]
    public var compression: Compression
    public var format: TarFormat?
    /// Overrides the media type derived from `compression` and the image's media types.
    public var mediaType: String?
    /// Use these bytes as the uncompressed tar instead of `entries`.
    public var rawTar: Data?
    public var annotations: [String: String]?

    public init(_ entries: [EntrySpec], compression: Compression = .gzip, format: TarFormat? = nil) {
        self.entries = entries
        self.compression = compression
        self.format = format
    }

    private enum CodingKeys: String, CodingKey {
        case entries, compression, format, mediaType, rawBase64, annotations
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entries, forKey: .entries)
        try c.encode(compression, forKey: .compression)
        try c.encodeIfPresent(format, forKey: .format)
        try c.encodeIfPresent(mediaType, forKey: .mediaType)
        try c.encodeIfPresent(rawTar?.base64EncodedString(), forKey: .rawBase64)
        try c.encodeIfPresent(annotations, forKey: .annotations)
    }
}

/// OCI or Docker schema 2 media types for manifests, configs and layers.
public enum MediaTypeFamily: String, Encodable, Sendable { case oci, docker }

/// The image config's `config` object.
public struct ImageConfigSpec: Encodable, Sendable {
    public var Env: [String]?
    public var Cmd: [String]?
    public var Entrypoint: [String]?
    public var User: String?
    public var WorkingDir: String?
    public var Labels: [String: String]?

    public init(
        env: [String]? = nil, cmd: [String]? = nil, entrypoint: [String]? = nil, user: String? = nil,
        workingDir: String? = nil, labels: [String: String]? = nil
    ) {
        Env = env
        Cmd = cmd
        Entrypoint = entrypoint
        User = user
        WorkingDir = workingDir
        Labels = labels
    }
}

/// What a fixture layout is built from: one image, or an index of them.
public protocol FixtureSpec: Encodable, Sendable {
    /// The ref name in the layout's index.json (and default tag when pushed).
    var tag: String { get }
    var mediaTypes: MediaTypeFamily { get }
}

/// A single-platform fixture image.
public struct ImageSpec: FixtureSpec {
    /// The ref name in the layout's index.json (and default tag when pushed).
    public var tag: String
    public var mediaTypes: MediaTypeFamily
    public var architecture: String
    public var os: String
    public var variant: String?
    public var created: String
    public var config: ImageConfigSpec
    public var annotations: [String: String]?
    public var layers: [LayerSpec]

    public init(
        tag: String = "latest", mediaTypes: MediaTypeFamily = .oci, architecture: String = "amd64",
        os: String = "linux", variant: String? = nil, created: String = "2024-01-01T00:00:00Z",
        config: ImageConfigSpec = ImageConfigSpec(), annotations: [String: String]? = nil, layers: [LayerSpec]
    ) {
        self.tag = tag
        self.mediaTypes = mediaTypes
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.created = created
        self.config = config
        self.annotations = annotations
        self.layers = layers
    }
}

/// A multi-platform image index (OCI index or Docker manifest list).
public struct IndexSpec: FixtureSpec {
    public var tag: String
    public var mediaTypes: MediaTypeFamily
    public var annotations: [String: String]?
    public var index: [ImageSpec]

    public init(tag: String = "latest", mediaTypes: MediaTypeFamily = .oci, annotations: [String: String]? = nil, images: [ImageSpec]) {
        self.tag = tag
        self.mediaTypes = mediaTypes
        self.annotations = annotations
        // Children share the index's media type family.
        index = images.map { image in
            var image = image
            image.mediaTypes = mediaTypes
            return image
        }
    }
}
