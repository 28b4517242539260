/// Failures to understand an image document.
public enum OCIModelError: Error, Equatable, CustomStringConvertible {
    case malformed(what: String, detail: String)
    case unknownManifestType(String)
    case schema1

    public var description: String {
        switch self {
        case .malformed(let what, let detail): "malformed \(what): \(detail)"
        case .unknownManifestType(let type): "not an image manifest or index (media type \(type))"
        case .schema1: "Docker schema 1 manifests are not supported (re-push the image with a current tool)"
        }
    }
}
