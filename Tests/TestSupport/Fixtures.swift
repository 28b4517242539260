import Foundation

/// A descriptor of one built layer, as `build_image.py` reports it.
public struct BuiltLayer: Decodable, Sendable {
    public let mediaType: String
    public let digest: String
    public let size: Int
    /// sha256 of the uncompressed tar.
    public let diffID: String
    public let uncompressedSize: Int
}

/// One platform manifest inside a built index.
public struct BuiltPlatformManifest: Decodable, Sendable {
    public struct Platform: Decodable, Sendable {
        public let architecture: String
        public let os: String
        public let variant: String?
    }

    public let mediaType: String
    public let digest: String
    public let size: Int
    public let platform: Platform
    public let config: String
    public let layers: [BuiltLayer]
}

/// What `build_image.py` wrote: digests of the top manifest (or index), config and layers.
public struct BuiltImage: Decodable, Sendable {
    public let tag: String
    public let mediaType: String
    /// Digest of the top-level manifest, or of the index for an `IndexSpec`.
    public let manifestDigest: String
    public let size: Int
    /// Config digest (single images only).
    public let config: String?
    public let layers: [BuiltLayer]?
    /// Platform manifests (indexes only).
    public let manifests: [BuiltPlatformManifest]?
}

/// An OCI image layout directory built by `build_image.py`; removed with this value's last copy.
public struct FixtureLayout: Sendable {
    public let directory: TemporaryDirectory
    public let image: BuiltImage
    public var url: URL { directory.url }
}

/// What a push left in the registry.
public struct PushedImage: Sendable {
    public let manifestDigest: String
    public let image: BuiltImage
    /// "127.0.0.1:PORT/REPOSITORY".
    public let reference: String
}

/// How fixture layouts reach a registry.
public enum PushMethod: Sendable {
    /// `skopeo copy --preserve-digests` (OCI media types only: skopeo 1.9 skips
    /// Docker-typed manifests in an OCI layout).
    case skopeo
    /// `push_raw.py`: uploads the layout's bytes unchanged.
    case raw
}

/// Builds an OCI image layout from `spec` into `directory` (adding a tag to an
/// existing layout there) and returns what was written.
@discardableResult
public func buildImage<Spec: Encodable>(_ spec: Spec, into directory: URL) throws -> BuiltImage {
    let json = try JSONEncoder().encode(spec)
    let out = try ExternalCommand.python("fixtures/build_image.py", ["-", directory.path], stdin: json)
    return try JSONDecoder().decode(BuiltImage.self, from: out)
}

/// Builds `spec` (one image, or a multi-platform index) into a fresh temporary layout.
public func buildFixture<Spec: FixtureSpec>(_ spec: Spec) throws -> FixtureLayout {
    let dir = try TemporaryDirectory(prefix: "fixture-layout")
    return FixtureLayout(directory: dir, image: try buildImage(spec, into: dir.url))
}

/// Pushes tag `layoutTag` of an OCI layout to `registry` as `repository:tag`
/// (`tag` nil: push by digest only). Returns the manifest digest the registry reports.
@discardableResult
public func pushLayout(
    _ layout: URL, layoutTag: String, to registry: TestRegistry, repository: String, tag: String?,
    method: PushMethod = .skopeo
) throws -> String {
    switch method {
    case .skopeo:
        let ref = tag.map { ":\($0)" } ?? ""
        let digestFile = layout.appendingPathComponent(".pushed-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: digestFile) }
        let destination: String
        if tag == nil {
            // skopeo cannot push by digest without a tag: push to a throwaway tag.
            destination = "docker://\(registry.url)/\(repository):untagged-\(UUID().uuidString.prefix(8).lowercased())"
        } else {
            destination = "docker://\(registry.url)/\(repository)\(ref)"
        }
        try ExternalCommand.check(
            "skopeo",
            ["copy", "--quiet", "--all", "--preserve-digests", "--digestfile", digestFile.path]
                + registry.skopeoFlags("dest") + ["oci:\(layout.path):\(layoutTag)", destination])
        return String(decoding: try Data(contentsOf: digestFile), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    case .raw:
        var args = [layout.path, layoutTag, registry.baseURL.absoluteString, repository]
        if let tag { args += ["--dest-tag", tag] } else { args.append("--by-digest") }
        if let credentials = registry.credentials { args += ["--user", credentials] }
        if let ca = registry.caCertificatePath { args += ["--cacert", ca.path] }
        struct Out: Decodable { let manifestDigest: String }
        let out = try ExternalCommand.python("fixtures/push_raw.py", args)
        return try JSONDecoder().decode(Out.self, from: out).manifestDigest
    }
}

private func defaultMethod(_ family: MediaTypeFamily) -> PushMethod { family == .oci ? .skopeo : .raw }

/// Builds `spec` and pushes it as `repository:tag` (default: `spec.tag`); an
/// index goes with all its platform manifests. OCI images go through skopeo,
/// Docker-typed ones through `push_raw.py`.
@discardableResult
public func push<Spec: FixtureSpec>(
    _ spec: Spec, to registry: TestRegistry, repository: String, tag: String? = nil, method: PushMethod? = nil
) throws -> PushedImage {
    try pushBuilt(try buildFixture(spec), layoutTag: spec.tag, mediaTypes: spec.mediaTypes, to: registry,
                  repository: repository, tag: tag, method: method)
}

/// Pushes an already built layout; the push method follows its media types unless given.
private func pushBuilt(
    _ layout: FixtureLayout, layoutTag: String, mediaTypes: MediaTypeFamily, to registry: TestRegistry,
    repository: String, tag: String?, method: PushMethod?
) throws -> PushedImage {
    let digest = try pushLayout(
        layout.url, layoutTag: layoutTag, to: registry, repository: repository, tag: tag ?? layoutTag,
        method: method ?? defaultMethod(mediaTypes))
    return PushedImage(manifestDigest: digest, image: layout.image, reference: "\(registry.url)/\(repository)")
}

/// Unpacks tag `tag` of an OCI layout with umoci (an independent reference
/// extractor; cannot read zstd layers). `output` must not exist; the rootfs
/// ends up in `output/rootfs`.
public func umociUnpack(layout: URL, tag: String, to output: URL) throws {
    var args = ["unpack"]
    if getuid() != 0 { args.append("--rootless") }
    args += ["--image", "\(layout.path):\(tag)", output.path]
    try ExternalCommand.check("umoci", args)
}

/// `skopeo inspect` of `repository:tag` (or `@digest`) in `registry`, raw JSON.
public func skopeoInspect(_ registry: TestRegistry, repository: String, reference: String, raw: Bool = false) throws -> Data {
    let separator = reference.hasPrefix("sha256:") ? "@" : ":"
    var args = ["inspect"]
    if raw { args.append("--raw") }
    args += registry.skopeoInspectFlags() + ["docker://\(registry.url)/\(repository)\(separator)\(reference)"]
    return try ExternalCommand.check("skopeo", args)
}
