import FoundationEssentials
import ImageIO
import OCIModel
import ResourceCore

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
            guard ImageReference.isValidTag(tag) else { throw ToolError.invalidArgument("--tag: \(TagPlanError.invalidTag(tag))") }
            tags.append(tag)
        }
        let client = try registryClient(reference, settings: settings, logger: logger)
        return try DiskImagePush.push(
            path: source, displayName: source, to: client, tags: tags,
            progress: TransferProgress(debug: settings.debug), logger: logger
        ).digest.description
    }
}
