import FoundationEssentials
import OCIModel

/// How the client asks for manifests and tells which kind it got.
enum ManifestMediaType {
    static let acceptHeader = MediaType.acceptedManifests.joined(separator: ", ")

    /// The media type from `Content-Type`, or — when the registry sends none
    /// or a generic JSON type — from the document's own `mediaType` field or
    /// its shape (an OCI index has `manifests`).
    static func resolve(contentType: String?, body: Data?) -> String {
        let declared = contentType?.split(separator: ";").first?.trimmingWhitespace().lowercased() ?? ""
        if !declared.isEmpty && declared != MediaType.json && declared != MediaType.octetStream
            && declared != "text/plain" {
            return declared
        }
        guard let body, let shape = try? JSONDecoder().decode(DocumentShape.self, from: body) else {
            return declared
        }
        if let mediaType = shape.mediaType { return mediaType }
        return shape.hasManifests ? MediaType.ociIndex : MediaType.ociManifest
    }

    /// What a manifest-like JSON object says about its kind: its `mediaType`
    /// (when a string) and whether it has a `manifests` member at all.
    private struct DocumentShape: Decodable {
        let mediaType: String?
        let hasManifests: Bool

        private enum Keys: String, CodingKey { case mediaType, manifests }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Keys.self)
            mediaType = try? object.decodeIfPresent(String.self, forKey: .mediaType)
            hasManifests = object.contains(.manifests)
        }
    }
}
