import Foundation
import OCIModel

/// How the client asks for manifests and tells which kind it got.
enum ManifestMediaType {
    static let acceptHeader = MediaType.acceptedManifests.joined(separator: ", ")

    /// The media type from `Content-Type`, or — when the registry sends none
    /// or a generic JSON type — from the document's own `mediaType` field or
    /// its shape (an OCI index has `manifests`).
    static func resolve(contentType: String?, body: Data?) -> String {
        let declared = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if !declared.isEmpty && declared != MediaType.json && declared != MediaType.octetStream
            && declared != "text/plain" {
            return declared
        }
        guard let body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return declared
        }
        if let mediaType = object["mediaType"] as? String { return mediaType }
        return object["manifests"] != nil ? MediaType.ociIndex : MediaType.ociManifest
    }
}
