import Foundation
import TestSupport

/// Fills a repository of a real registry with tags pointing at distinct tiny
/// images, one image per digest label. Images are built by `build_image.py`;
/// the first tag of each label is pushed by `push_raw.py`, further tags of the
/// same label by PUTting the same manifest bytes again with curl (cheap, and
/// exactly what a registry sees when one image gets another tag).
struct CheckRepositoryFixture {
    let registry: TestRegistry
    let repository: String
    /// Digest label → manifest digest in the registry.
    let digests: [String: String]

    /// - Parameters:
    ///   - tags: tag → digest label.
    ///   - created: digest label → image config `created` (RFC 3339); default 2024-01-01.
    init(registry: TestRegistry, repository: String, tags: [String: String], created: [String: String] = [:]) throws {
        self.registry = registry
        self.repository = repository
        let layout = try TemporaryDirectory(prefix: "check-fixture")
        var digests: [String: String] = [:]
        for label in Set(tags.values).sorted() {
            let spec = ImageSpec(
                tag: label, created: created[label] ?? "2024-01-01T00:00:00Z",
                config: ImageConfigSpec(labels: ["digest-label": label]),
                layers: [LayerSpec([.file("label", label + "\n")], compression: .none)])
            try buildImage(spec, into: layout.url)
            let labelTags = tags.filter { $0.value == label }.map(\.key).sorted()
            let digest = try pushLayout(
                layout.url, layoutTag: label, to: registry, repository: repository, tag: labelTags[0], method: .raw)
            digests[label] = digest
            for tag in labelTags.dropFirst() {
                try Self.putManifest(layout: layout.url, digest: digest, registry: registry, repository: repository, tag: tag)
            }
        }
        self.digests = digests
    }

    /// A well-formed digest that no manifest has (a cursor that vanished).
    static let vanishedDigest = "sha256:" + String(repeating: "0", count: 64)

    /// The digest of a label; labels never pushed get `vanishedDigest`.
    func digest(_ label: String) -> String { digests[label] ?? Self.vanishedDigest }

    private static func putManifest(layout: URL, digest: String, registry: TestRegistry, repository: String, tag: String) throws {
        let blob = layout.appendingPathComponent("blobs/sha256/" + digest.dropFirst("sha256:".count))
        try ExternalCommand.check("curl", [
            "-sS", "--fail", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json",
            "--data-binary", "@" + blob.path,
        ] + registry.curlTLSFlags + (registry.credentials.map { ["-u", $0] } ?? []) + [registry.baseURL.absoluteString + "/v2/\(repository)/manifests/\(tag)"])
    }
}

/// The `source` of a check / in request, as Concourse sends it.
struct SourceJSON: Encodable {
    struct Mirror: Encodable {
        var host: String
        var username: String?
        var password: String?
    }

    var repository: String
    var tag: String?
    var tagRegex: String?
    var createdAtSort: Bool?
    var variant: String?
    var semverConstraint: String?
    var preReleases: Bool?
    var preReleasePrefixes: [String]?
    var username: String?
    var password: String?
    var registryMirror: Mirror?

    init(repository: String) { self.repository = repository }

    enum CodingKeys: String, CodingKey {
        case repository, tag, variant, username, password
        case tagRegex = "tag_regex", createdAtSort = "created_at_sort", semverConstraint = "semver_constraint"
        case preReleases = "pre_releases", preReleasePrefixes = "pre_release_prefixes", registryMirror = "registry_mirror"
    }
}

struct VersionJSON: Codable, Equatable, CustomStringConvertible {
    var tag: String
    var digest: String
    var description: String { "\(tag)@\(digest.prefix(19))" }
}

/// `{"source": …, "version": …, "params": …}` as JSON bytes.
func requestJSON(source: SourceJSON, version: VersionJSON? = nil, params: [String: String]? = nil) throws -> Data {
    struct Request: Encodable {
        var source: SourceJSON
        var version: VersionJSON?
        var params: [String: String]?
    }
    return try JSONEncoder().encode(Request(source: source, version: version, params: params))
}

extension ResourceRunner {
    /// Runs `check` and decodes its stdout; throws with stderr when it fails.
    static func check(_ source: SourceJSON, version: VersionJSON? = nil,
                      environment: [String: String] = [:]) throws -> [VersionJSON] {
        let result = try run(["check"], stdin: try requestJSON(source: source, version: version), environment: environment)
        guard result.status == 0 else {
            throw ExternalCommandError.failed(command: "registry-image check", status: result.status, stderr: result.stderr)
        }
        return try JSONDecoder().decode([VersionJSON].self, from: result.stdout)
    }
}
