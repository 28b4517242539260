import FoundationEssentials

/// What a manifest document is. Registries name the type in `Content-Type`;
/// OCI layouts and some registries do not, so the JSON body decides then: its
/// `mediaType` field, else `manifests` (an index) versus `layers` (an image).
public enum ManifestKind: Hashable, Sendable {
    case index(ImageIndex)
    case manifest(ImageManifest)

    public static func decode(_ data: Data, mediaType: String?) throws(OCIModelError) -> ManifestKind {
        let probe: Probe
        do {
            probe = try JSONDecoder().decode(Probe.self, from: data)
        } catch {
            throw .malformed(what: "manifest", detail: String(describing: error))
        }
        let declared = [mediaType, probe.mediaType].compactMap { $0 }.first {
            MediaType.isIndex($0) || MediaType.isImageManifest($0) || MediaType.isSchema1($0)
        }
        let isIndex: Bool
        if let declared {
            if MediaType.isSchema1(declared) || probe.schemaVersion == 1 { throw .schema1 }
            isIndex = MediaType.isIndex(declared)
        } else if probe.schemaVersion == 1 {
            throw .schema1
        } else if probe.manifests != nil {
            isIndex = true
        } else if probe.layers != nil || probe.config != nil {
            isIndex = false
        } else {
            throw .unknownManifestType(mediaType ?? probe.mediaType ?? "none")
        }
        do {
            if isIndex { return .index(try JSONDecoder().decode(ImageIndex.self, from: data)) }
            return .manifest(try JSONDecoder().decode(ImageManifest.self, from: data))
        } catch {
            throw .malformed(what: isIndex ? "image index" : "image manifest", detail: String(describing: error))
        }
    }

    /// Only the fields that tell the kinds apart.
    private struct Probe: Decodable {
        struct Present: Decodable {
            init(from decoder: any Decoder) throws {}
        }
        var schemaVersion: Int?
        var mediaType: String?
        var manifests: [Present]?
        var layers: [Present]?
        var config: Present?
    }
}
