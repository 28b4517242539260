import FastExtract

/// Failures reading or writing images from sources and destinations.
public enum ImageError: Error, Equatable, CustomStringConvertible {
    case io(String)
    case digestMismatch(expected: Digest, actual: Digest)
    case sizeMismatch(Digest, expected: Int64, actual: Int64)
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

    public var description: String {
        switch self {
        case .io(let message): message
        case .digestMismatch(let expected, let actual): "content digest mismatch: expected \(expected), got \(actual)"
        case .sizeMismatch(let digest, let expected, let actual):
            "content size mismatch for \(digest): expected \(expected) bytes, got \(actual)"
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
        case .foreignLayer(let digest): "layer \(digest) is a foreign (non-distributable) layer, which is not in this image source"
        }
    }
}
