import FoundationEssentials
import Glibc
import OCIModel

/// Failures reading images from sources and writing them to destinations.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    case io(String)
    case blobNotFound(Digest, in: String)
    case model(OCIModelError)
    case notAnImage(Digest, mediaType: String)
    case noMatchingPlatform(wanted: Platform, available: [String])
    case ambiguousImage(available: [String])
    case referenceNotFound(String, available: [String])
    case digestNotFound(Digest)
    case indexTooDeep
    case unrecognisedImagePath(String)
    case malformedArchive(String, detail: String)
    case foreignLayer(Digest)
    case compression(String)
    /// A result file or directory could not be staged or put in place (`No space left on device`, …).
    case cannotWrite(String, reason: String)

    public var description: String {
        switch self {
        case .io(let message): message
        case .blobNotFound(let digest, let location): "blob \(digest) not found in \(location)"
        case .model(let error): error.description
        case .notAnImage(let digest, let type): "\(digest) is not an image manifest (media type \(type))"
        case .noMatchingPlatform(let wanted, let available):
            "no image for platform \(wanted); available: \(available.isEmpty ? "none" : available.joined(separator: ", "))"
        case .ambiguousImage(let available):
            "several images and no way to choose; name one of: \(available.joined(separator: ", "))"
        case .referenceNotFound(let reference, let available):
            "no image named '\(reference)'; available: \(available.isEmpty ? "none" : available.joined(separator: ", "))"
        case .digestNotFound(let digest): "no manifest with digest \(digest) in this image"
        case .indexTooDeep: "image indexes nested too deeply (more than 8 levels)"
        case .unrecognisedImagePath(let path):
            "\(path) is not an OCI layout directory, a skopeo dir: directory, a docker-archive tarball or an OCI archive tarball"
        case .malformedArchive(let path, let detail): "malformed image archive \(path): \(detail)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .compression(let message): "compressing a layer failed: \(message)"
        case .foreignLayer(let digest): "layer \(digest) is a foreign (non-distributable) layer, which is not in this image source"
        }
    }
}

extension ImageError {
    static func cannotWrite(_ path: String, errno code: Int32) -> ImageError {
        .cannotWrite(path, reason: String(cString: strerror(code)))
    }
}
