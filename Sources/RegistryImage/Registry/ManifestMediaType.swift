import Foundation

/// Manifest media types the client asks for and recognises.
enum ManifestMediaType {
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"

    static let accepted = [ociManifest, ociIndex, dockerManifest, dockerManifestList]
    static let acceptHeader = accepted.joined(separator: ", ")

    /// The media type from `Content-Type`, or — when the registry sends none
    /// or a generic JSON type — from the document's own `mediaType` field or
    /// its shape (an OCI index has `manifests`).
    static func resolve(contentType: String?, body: Data?) -> String {
        let declared = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if !declared.isEmpty && declared != "application/json" && declared != "application/octet-stream"
            && declared != "text/plain" {
            return declared
        }
        guard let body, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return declared
        }
        if let mediaType = object["mediaType"] as? String { return mediaType }
        return object["manifests"] != nil ? ociIndex : ociManifest
    }
}
