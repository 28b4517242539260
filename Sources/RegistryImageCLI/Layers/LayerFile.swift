import FoundationEssentials
import Glibc
import ImageIO
import OCIModel

/// One bare layer blob on disk for `extract --layer`, as a cache of
/// pre-downloaded layers holds them (often with no manifest). Its digest is
/// known when given as `FILE@sha256:HEX`, or when the file is named by it
/// (`HEX`, `sha256:HEX`, with or without `.tar`, `.tar.gz`, `.tgz`,
/// `.tar.zst`, `.gz`, `.zst`); the blob is then verified against it.
public struct LayerFile: Sendable, Equatable {
    public var path: String
    /// Nil when neither the argument nor the file name gives one.
    public var digest: Digest?

    static let extensions = [".tar.gz", ".tar.zst", ".tar", ".tgz", ".gz", ".zst"]

    public init(path: String, digest: Digest?) {
        self.path = path
        self.digest = digest
    }

    /// Parses `FILE[@sha256:HEX]`.
    public init(parsing text: String) throws(ImageError) {
        if let at = text.ranges(of: "@sha256:").last {
            let path = String(text[..<at.lowerBound])
            guard !path.isEmpty, let digest = try? Digest(parsing: String(text[text.index(after: at.lowerBound)...])) else {
                throw .io("--layer \(text): expected FILE@sha256:<64 hex digits>")
            }
            self.init(path: path, digest: digest)
        } else {
            self.init(path: text, digest: Self.digest(fromFileName: String(text.split(separator: "/").last ?? "")))
        }
    }

    static func digest(fromFileName name: String) -> Digest? {
        var stem = Substring(name)
        for suffix in extensions where stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            break
        }
        for prefix in ["sha256:", "sha256-", "sha256_"] where stem.hasPrefix(prefix) {
            stem = stem.dropFirst(prefix.count)
        }
        // Digest(parsing:) takes exactly 64 lowercase hex digits.
        return try? Digest(parsing: "sha256:" + stem)
    }
}

/// Bare layer files as an image source, so they take the one path every
/// image takes: the source names a manifest it makes up (an OCI manifest of
/// the layers in order, with a minimal config for this host), and serves
/// each file as the blob its descriptor names. A file without a known
/// digest is hashed first, so the pipeline (which always verifies) can run;
/// such a layer is checked only for being read whole.
public final class LayerFilesSource: ImageSource {
    public let layers: [Descriptor]
    private let paths: [Digest: String]
    private let manifestBytes: Data
    private let manifestDescriptor: Descriptor
    private let configData: Data
    private let configDescriptor: Descriptor

    public init(_ files: [LayerFile]) throws {
        var layers: [Descriptor] = []
        var paths: [Digest: String] = [:]
        for file in files {
            var info = stat()
            guard stat(file.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw ImageError.io("layer \(file.path) is not a readable file")
            }
            let digest = try file.digest ?? Self.hash(file.path)
            // The media type is a placeholder: compression is told from the bytes.
            layers.append(Descriptor(mediaType: MediaType.ociLayerTar, digest: digest, size: Int64(info.st_size)))
            paths[digest] = file.path
        }
        self.layers = layers
        self.paths = paths
        let host = Platform.host
        configData = try JSONOutput.encode(LayerFilesConfig(architecture: host.architecture, os: host.os, variant: host.variant))
        configDescriptor = Descriptor(mediaType: MediaType.ociConfig, digest: SHA256Hasher.digest(of: configData),
                                      size: Int64(configData.count))
        let manifest = ImageManifest(mediaType: MediaType.ociManifest, config: configDescriptor, layers: layers)
        manifestBytes = try JSONEncoder().encode(manifest)
        manifestDescriptor = Descriptor(mediaType: MediaType.ociManifest, digest: SHA256Hasher.digest(of: manifestBytes),
                                        size: Int64(manifestBytes.count))
    }

    public func rootDescriptor() throws -> Descriptor { manifestDescriptor }

    public func manifestData(for descriptor: Descriptor) throws -> Data {
        guard descriptor.digest == manifestDescriptor.digest else {
            throw ImageError.blobNotFound(descriptor.digest, in: "--layer files")
        }
        return manifestBytes
    }

    public func streamBlob(_ descriptor: Descriptor, into consumer: BlobConsumer) throws {
        if descriptor.digest == configDescriptor.digest {
            try configData.withUnsafeBytes { try consumer.consume($0) }
            return try consumer.finish()
        }
        guard let path = paths[descriptor.digest] else { throw ImageError.blobNotFound(descriptor.digest, in: "--layer files") }
        try Self.stream(path, into: consumer)
    }

    private static func stream(_ path: String, into consumer: BlobConsumer) throws {
        let url = URL(fileURLWithPath: path)
        try DirectoryFileStore(directory: url.deletingLastPathComponent()).stream(url.lastPathComponent, into: consumer)
    }

    private static func hash(_ path: String) throws -> Digest {
        let hasher = SHA256Hasher()
        try stream(path, into: HashingConsumer(hasher: hasher))
        return hasher.finalize()
    }
}

/// The config of an image made of bare layer files: the host's platform, and
/// no diff_ids (they are not known without decompressing every layer).
private struct LayerFilesConfig: Encodable {
    struct RootFS: Encodable {
        var type = "layers"
        var diff_ids: [String] = []
    }

    let architecture: String
    let os: String
    let variant: String?
    var rootfs = RootFS()
}
