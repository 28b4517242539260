import FastExtract
import Foundation
import Logging

extension ImageTool {
    /// An opened image source and the name to show for it.
    struct OpenedSource {
        var source: ImageSource
        var location: ImageLocation
    }

    /// Opens what a by-hand command was given as its image.
    /// - Parameter unqualified: how text without a transport prefix is read:
    ///   `.path` (extract: an image on disk), or `.pathOrRegistry` (inspect:
    ///   a path when it exists, else a registry reference, as crane reads names).
    static func openSource(
        _ text: String, unqualified: UnqualifiedSource, settings: ToolSettings, logger: Logger
    ) throws -> OpenedSource {
        var location = try ImageLocation(parsing: text)
        if case .unqualified(let name) = location, unqualified == .pathOrRegistry,
           !FileManager.default.fileExists(atPath: name) {
            location = .registry(try ImageReference(parsing: name))
        }
        if case .registry(let reference) = location {
            return OpenedSource(source: try registrySource(reference, settings: settings, logger: logger), location: location)
        }
        return OpenedSource(source: try ImageSourceLocator.open(location), location: location)
    }

    enum UnqualifiedSource { case path, pathOrRegistry }

    /// The registry image `reference` names: its digest when pinned, else
    /// the tag's (`latest` when none) current digest.
    static func registrySource(_ reference: ImageReference, settings: ToolSettings, logger: Logger) throws -> RegistryImageSource {
        let client = RegistryClient(reference: reference, options: try options(settings, for: reference, logger: logger), logger: logger)
        if let digest = reference.digest { return RegistryImageSource(client: client, rootDigest: digest) }
        let tag = reference.tag ?? "latest"
        guard let head = try client.headManifest(tag) else {
            throw ToolError.notFound("\(reference.registry)/\(reference.repository):\(tag) does not exist")
        }
        return RegistryImageSource(client: client, rootDigest: head.digest)
    }
}
