import Foundation
@testable import Concourse
@testable import OCIModel
@testable import ResourceCore

/// Parsers of outside input: each must answer every byte string with a value
/// or a typed error, never a trap, and what it accepts must hold together.
enum DecoderTargets {
    /// Manifest / index decoding (the body decides the kind when the media
    /// type is absent), with each of the media types a registry may declare.
    static func manifest(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let types: [String?] = [nil, MediaType.ociIndex, MediaType.ociManifest, "application/json"]
        let mediaType = types[Int(bytes.first ?? 0) % types.count]
        guard let kind = try? ManifestKind.decode(data, mediaType: mediaType) else { return }
        switch kind {
        case .index(let index):
            for descriptor in index.manifests { _ = descriptor.platform?.description }
        case .manifest(let manifest):
            _ = manifest.layers.reduce(Int64(0)) { $0 &+ $1.size }
        }
    }

    /// Image config decoding (RFC 3339 dates, history, the container config).
    static func config(_ bytes: [UInt8]) {
        _ = try? JSONDecoder().decode(ImageConfig.self, from: Data(bytes))
    }

    /// The Concourse request parser: JSON, then check / in / out requests.
    static func request(_ bytes: [UInt8]) {
        _ = try? JSONParser.parse(bytes)
        _ = try? CheckRequest(json: bytes)
        _ = try? InRequest(json: bytes)
        _ = try? OutRequest(json: bytes)
    }

    /// Image references, digests and platforms: an accepted reference prints
    /// as a reference that parses back to itself.
    static func reference(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? Digest(parsing: text)
        _ = try? Platform(parsing: text)
        guard let reference = try? ImageReference(parsing: text) else { return }
        let again = try? ImageReference(parsing: reference.description)
        invariant(again == reference, "'\(text)' -> '\(reference)' does not parse back to itself")
    }

    /// Semantic versions and Masterminds constraints: the first line is a
    /// constraint, the rest versions checked against it.
    static func semver(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let constraint = try? VersionConstraint(parsing: lines.first ?? "")
        var versions: [SemanticVersion] = []
        for line in lines.dropFirst().prefix(8) {
            guard let version = try? SemanticVersion(parsing: line) else { continue }
            _ = constraint?.isSatisfied(by: version)
            versions.append(version)
        }
        // Precedence must be a strict weak order, or sorting tags is unstable.
        for a in versions {
            invariant(!(a < a), "\(a) < itself")
            for b in versions where a < b { invariant(!(b < a), "\(a) < \(b) and \(b) < \(a)") }
        }
    }
}
