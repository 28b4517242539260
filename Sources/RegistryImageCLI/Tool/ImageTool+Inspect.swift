import FoundationEssentials
import ImageIO

extension ImageTool {
    public enum InspectOutput: String, Sendable, CaseIterable {
        /// `Key: value` lines.
        case text
        /// `ImageInspection` as JSON.
        case json
        /// The root manifest or index bytes, exactly as stored or served.
        case raw
        /// The chosen image's config blob bytes, exactly.
        case config
    }

    /// What `inspect` prints for `reference` (any transport, or a plain
    /// registry reference or path).
    public static func inspect(
        _ reference: String, output: InspectOutput, platform: String?, settings: ToolSettings
    ) throws -> Data {
        let logger = StandardErrorLogHandler.logger(debug: settings.debug)
        let opened = try openSource(reference, settings: settings, logger: logger)
        let wanted = try platform.map(parsePlatform)
        switch output {
        case .raw:
            let root = try opened.source.rootDescriptor()
            return try opened.source.manifestData(for: root)
        case .config:
            return try ImageResolver.resolve(opened.source, platform: wanted).configData
        case .text:
            let inspection = try ImageInspection.inspect(opened.source, name: opened.location.description, platform: wanted)
            return Data((inspection.text + "\n").utf8)
        case .json:
            let inspection = try ImageInspection.inspect(opened.source, name: opened.location.description, platform: wanted)
            return try inspection.json() + Data("\n".utf8)
        }
    }
}
