import FastExtract
import Foundation
import Logging

/// Writes an image from any source into a directory in one of the `in`
/// formats. `in`, `pull` and `extract` all go through here.
public enum ImageWriter {
    /// Returns the image chosen for the platform, for metadata; for an
    /// `oci-layout` of an index with no image for the platform that is nil
    /// (the layout holds every platform and needs no choice).
    @discardableResult
    public static func write(
        source: ImageSource, platform: Platform?, format: GetParameters.Format,
        destination: String, archiveName: String, progress: TransferProgress, logger: Logger
    ) throws -> ResolvedImage? {
        if format == .ociLayout {
            try LayoutExport.write(root: try source.rootDescriptor(), from: source, to: "\(destination)/oci")
            return try? ImageResolver.resolve(source, platform: platform)
        }
        let image = try ImageResolver.resolve(source, platform: platform)
        switch format {
        case .rootfs:
            try RootfsExport.write(
                image: image, from: source, to: "\(destination)/rootfs", progress: progress, logger: logger)
            try ImageMetadataFiles.writeMetadata(for: image.config, to: destination)
        case .oci:
            try DockerArchiveWriter.write(
                image, from: source, repoTags: [archiveName], to: "\(destination)/image.tar")
        case .ociLayout:
            break
        }
        try ImageMetadataFiles.writeLabels(for: image.config, to: destination)
        return image
    }
}

/// `metadata.json` and `labels.json`, byte-compatible with upstream's
/// (absent lists are `null`, an absent user is `""`, no labels is `{}`).
enum ImageMetadataFiles {
    private struct Metadata: Encodable {
        let cmd: [String]?
        let entrypoint: [String]?
        let env: [String]?
        let user: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cmd, forKey: .cmd)
            try container.encode(entrypoint, forKey: .entrypoint)
            try container.encode(env, forKey: .env)
            try container.encode(user, forKey: .user)
        }

        private enum CodingKeys: String, CodingKey { case cmd, entrypoint, env, user }
    }

    static func writeMetadata(for config: ImageConfig, to destination: String) throws {
        let settings = config.config
        let metadata = Metadata(
            cmd: settings?.cmd, entrypoint: settings?.entrypoint, env: settings?.env, user: settings?.user ?? "")
        try AtomicFile.write(try ResponseEncoding.json(metadata) + Data("\n".utf8), to: "\(destination)/metadata.json")
    }

    static func writeLabels(for config: ImageConfig, to destination: String) throws {
        let labels = config.config?.labels ?? [:]
        try AtomicFile.write(try ResponseEncoding.json(labels) + Data("\n".utf8), to: "\(destination)/labels.json")
    }
}
