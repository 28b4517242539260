import FastExtract
import Foundation

/// Writes a `docker save`-style tarball that `docker load` and skopeo read:
/// the config as `<hex>.json`, each layer blob as stored (compressed layers
/// are accepted by `docker load`) named `<hex>.tar.gz` / `.tar.zst` / `.tar`
/// like go-containerregistry's tarball writer (upstream's `format: oci`), then
/// `manifest.json` with `RepoTags`. Written to a temporary file renamed into
/// place only when every blob matched its digest.
public enum DockerArchiveWriter {
    public static func write(
        _ image: ResolvedImage, from source: ImageSource, repoTags: [String], to path: String
    ) throws {
        StagingName.removeStale(besides: path)
        let temporaryPath = StagingName.path(for: path)
        unlink(temporaryPath)  // a dead writer's that had this pid
        var renamed = false
        StagingCleanup.shared.register(temporaryPath)  // removed on SIGTERM too
        defer {
            StagingCleanup.shared.unregister(temporaryPath)
            if !renamed { unlink(temporaryPath) }
        }
        do {
            let file = try FileDescriptor(opening: temporaryPath, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
            let tar = try TarArchiveWriter(file: file)
            let configName = "\(image.manifest.config.digest.encoded).json"
            try tar.beginMember(configName, size: Int64(image.configData.count))
            try image.configData.withUnsafeBytes { bytes in try tar.write(bytes) }

            var layerNames: [String] = []
            var written: Set<Digest> = []
            for layer in image.manifest.layers {
                let name = memberName(for: layer)
                layerNames.append(name)
                guard written.insert(layer.digest).inserted else { continue }
                try tar.beginMember(name, size: layer.size)
                try source.streamVerifiedBlob(layer, into: TarMemberConsumer(writer: tar))
            }

            let entry = DockerArchiveManifest(config: configName, repoTags: repoTags, layers: layerNames)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let manifestData = try encoder.encode([entry])
            try tar.beginMember("manifest.json", size: Int64(manifestData.count))
            try manifestData.withUnsafeBytes { bytes in try tar.write(bytes) }
            try tar.close()
        }
        guard rename(temporaryPath, path) == 0 else {
            throw ImageError.io("cannot rename \(temporaryPath) to \(path): \(String(cString: strerror(errno)))")
        }
        renamed = true
    }

    static func memberName(for layer: Descriptor) -> String {
        let type = layer.mediaType
        let suffix: String
        if type.hasSuffix("gzip") {
            suffix = ".tar.gz"
        } else if type.hasSuffix("zstd") {
            suffix = ".tar.zst"
        } else {
            suffix = ".tar"
        }
        return layer.digest.encoded + suffix
    }
}
