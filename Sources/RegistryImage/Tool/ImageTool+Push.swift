import Foundation

extension ImageTool {
    /// Pushes an image on disk to `reference` (its tag, else `latest`) plus
    /// `extraTags`. Returns the pushed digest.
    public static func push(source: String, reference text: String, extraTags: [String], settings: ToolSettings) throws -> String {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let reference = try ImageReference(parsing: text)
        guard reference.digest == nil else {
            throw ToolError.invalidArgument("push to a tag, not a digest: \(text)")
        }
        var tags = [reference.tag ?? (extraTags.isEmpty ? "latest" : nil)].compactMap { $0 }
        for tag in extraTags where !tags.contains(tag) {
            guard TagPlanner.isValidTag(tag) else { throw ToolError.invalidArgument("--tag: \(TagPlanError.invalidTag(tag))") }
            tags.append(tag)
        }
        let kind = try ImageSourceLocator.kind(of: source)
        let image = try ImageSourceLocator.open(path: source)
        let client = RegistryClient(reference: reference, options: try options(settings, for: reference, logger: logger), logger: logger)
        logger.info("pushing \(kind.rawValue) \(source) to \(reference.registry)/\(reference.repository) as \(tags.joined(separator: ", "))")
        let pusher = ImagePusher(
            source: image, client: client, options: PushOptions(compressPlainLayers: kind == .dockerArchive),
            progress: TransferProgress(debug: settings.debug), logger: logger)
        let pushed = try pusher.push(tags: tags)
        let statistics = pusher.statistics
        logger.info("\(statistics.blobsUploaded) blobs uploaded (\(ProgressLine.format(statistics.bytesUploaded))), \(statistics.blobsSkipped) already present")
        return pushed.digest.description
    }
}
