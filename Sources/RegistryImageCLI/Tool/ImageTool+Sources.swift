import FoundationEssentials
import ImageIO
import Logging
import OCIModel

extension ImageTool {
    /// An opened image source, the name to show for it, and (on disk) its
    /// kind, or (in a registry) the registry source itself: its client
    /// reads the image's signatures and referrers.
    struct OpenedSource {
        var source: ImageSource
        var location: ImageLocation
        var kind: ImageSourceLocator.Kind?
        var registry: RegistryImageSource?
    }

    /// Opens what a by-hand command was given as its image. Text without a
    /// transport prefix is a path when one exists there, else a registry
    /// reference (as crane reads names).
    static func openSource(_ text: String, settings: ToolSettings, logger: Logger) throws -> OpenedSource {
        var location = try ImageLocation(parsing: text)
        if case .unqualified(let name) = location, !FileManager.default.fileExists(atPath: name) {
            location = .registry(try ImageReference(parsing: name))
        }
        return try openSource(location, settings: settings, logger: logger)
    }

    static func openSource(_ location: ImageLocation, settings: ToolSettings, logger: Logger) throws -> OpenedSource {
        if case .registry(let reference) = location {
            let registry = try registrySource(reference, settings: settings, logger: logger)
            return OpenedSource(source: registry, location: location, registry: registry)
        }
        let located = try ImageSourceLocator.locate(location)
        return OpenedSource(source: located.source, location: location, kind: located.kind)
    }

    /// The registry image `reference` names: its digest when pinned, else
    /// the tag's (`latest` when none) current digest.
    static func registrySource(_ reference: ImageReference, settings: ToolSettings, logger: Logger) throws -> RegistryImageSource {
        let client = try registryClient(reference, settings: settings, logger: logger)
        return RegistryImageSource(client: client, rootDigest: try reference.digest ?? headRoot(of: reference, with: client).digest)
    }
}
