
/// Failures to understand an image document, a digest, a platform or a reference.
public enum OCIModelError: Error, Equatable, CustomStringConvertible {
    case malformed(what: String, detail: String)
    case unknownManifestType(String)
    case schema1
    case invalidReference(String, reason: String)
    case malformedDigest(String)
    case unsupportedDigestAlgorithm(String)
    case malformedPlatform(String)

    public var description: String {
        switch self {
        case .malformed(let what, let detail): "malformed \(what): \(detail)"
        case .unknownManifestType(let type): "not an image manifest or index (media type \(type))"
        case .schema1: "Docker schema 1 manifests are not supported (re-push the image with a current tool)"
        case .invalidReference(let text, let reason): "invalid image reference '\(text)': \(reason)"
        case .malformedDigest(let text): "malformed digest '\(text)' (expected sha256:<64 hex digits>)"
        case .unsupportedDigestAlgorithm(let text): "unsupported digest algorithm in '\(text)' (only sha256 is supported)"
        case .malformedPlatform(let text):
            "malformed platform '\(text)' (expected os/architecture[/variant], e.g. linux/arm64/v8)"
        }
    }
}
