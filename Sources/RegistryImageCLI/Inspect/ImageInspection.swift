import FoundationEssentials
import ImageIO
import OCIModel

/// What `inspect` reports about an image: the root document (digest, media
/// type, and for an index its platforms) and, when one image of it is
/// chosen, that image's layers and configuration. Encodes as the stable
/// JSON of `inspect --format json`.
public struct ImageInspection: Encodable, Sendable {
    public struct PlatformEntry: Encodable, Sendable, Equatable {
        public var platform: String
        public var digest: String
        public var mediaType: String
        public var size: Int64
    }

    public struct Layer: Encodable, Sendable, Equatable {
        public var digest: String
        public var size: Int64
        public var mediaType: String
    }

    public struct Image: Encodable, Sendable {
        public var digest: String
        public var mediaType: String
        public var platform: String
        /// As written in the config (RFC 3339), nil when absent.
        public var created: String?
        public var layers: [Layer]
        public var labels: [String: String]
        public var env: [String]
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var user: String?
        public var workingDir: String?
    }

    /// The name the user gave (`docker://…`, `oci:…`).
    public var name: String
    public var digest: String
    public var mediaType: String
    public var size: Int64
    /// An index's children; nil for a single image.
    public var platforms: [PlatformEntry]?
    /// The chosen image: the root itself, or the index child for the
    /// platform asked for (the host's by default). Nil when an index has
    /// no image for the host and no platform was asked for.
    public var image: Image?

    /// Reads `source`'s root and, through `ImageResolver`, one image of it.
    /// - Parameter platform: nil picks the host's from an index, and finding
    ///   none is not an error (the index is still described).
    public static func inspect(_ source: ImageSource, name: String, platform: Platform?) throws -> ImageInspection {
        let root = try source.rootDescriptor()
        let rootData = try source.manifestData(for: root)
        var inspection = ImageInspection(
            name: name, digest: root.digest.description, mediaType: root.mediaType, size: root.size)
        if case .index(let index) = try ImageResolver.decode(rootData, descriptor: root) {
            inspection.platforms = index.manifests.map { child in
                PlatformEntry(platform: child.platform?.description ?? "unknown", digest: child.digest.description,
                              mediaType: child.mediaType, size: child.size)
            }
        }
        let resolved: ResolvedImage
        do {
            resolved = try ImageResolver.resolve(source, platform: platform)
        } catch ImageError.noMatchingPlatform where platform == nil && inspection.platforms != nil {
            return inspection
        }
        inspection.image = image(resolved)
        return inspection
    }

    static func image(_ resolved: ResolvedImage) -> Image {
        let container = resolved.config.config
        // `created` as the config spells it, not re-formatted.
        let created = try? JSONDecoder().decode(CreatedField.self, from: resolved.configData).created
        return Image(
            digest: resolved.manifestDescriptor.digest.description,
            mediaType: resolved.manifestDescriptor.mediaType,
            platform: resolved.config.platform.description,
            created: created,
            layers: resolved.manifest.layers.map { Layer(digest: $0.digest.description, size: $0.size, mediaType: $0.mediaType) },
            labels: container?.labels ?? [:],
            env: container?.env ?? [],
            entrypoint: container?.entrypoint,
            cmd: container?.cmd,
            user: container?.user.flatMap { $0.isEmpty ? nil : $0 },
            workingDir: container?.workingDir.flatMap { $0.isEmpty ? nil : $0 })
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The human form: one `Key: value` per line, layers indented.
    public var text: String {
        var lines = ["Name:       \(name)", "Digest:     \(digest)", "MediaType:  \(mediaType)"]
        if let platforms {
            lines.append("Platforms:")
            lines += platforms.map { "  \($0.platform)  \($0.digest)" }
        }
        guard let image else {
            if platforms != nil { lines.append("(no image for this host's platform; choose one with --platform)") }
            return lines.joined(separator: "\n")
        }
        if platforms != nil {
            lines.append("Image:      \(image.digest) (\(image.platform))")
        } else {
            lines.append("Platform:   \(image.platform)")
        }
        if let created = image.created { lines.append("Created:    \(created)") }
        lines.append("Layers:")
        lines += image.layers.map { "  \($0.digest)  \($0.size)  \($0.mediaType)" }
        if !image.labels.isEmpty {
            lines.append("Labels:")
            lines += image.labels.sorted { $0.key < $1.key }.map { "  \($0.key)=\($0.value)" }
        }
        if !image.env.isEmpty {
            lines.append("Env:")
            lines += image.env.map { "  \($0)" }
        }
        if let entrypoint = image.entrypoint { lines.append("Entrypoint: \(Self.shellWords(entrypoint))") }
        if let cmd = image.cmd { lines.append("Cmd:        \(Self.shellWords(cmd))") }
        if let user = image.user { lines.append("User:       \(user)") }
        if let workingDir = image.workingDir { lines.append("WorkingDir: \(workingDir)") }
        return lines.joined(separator: "\n")
    }

    /// An argv as JSON, which is unambiguous for arguments with spaces.
    static func shellWords(_ words: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(words) else {
            return words.joined(separator: " ")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A config's `created` as it is spelled there (a string, else absent).
private struct CreatedField: Decodable {
    let created: String?

    private enum Keys: String, CodingKey { case created }

    init(from decoder: any Decoder) throws {
        created = try? decoder.container(keyedBy: Keys.self).decodeIfPresent(String.self, forKey: .created)
    }
}
