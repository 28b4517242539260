import Concourse
import Foundation
import ImageIO
import Logging
import OCIModel
import RegistryClient
import TestSupport
import Testing

/// Runs `in` / `out` through the same entry points Concourse uses (request
/// JSON in, response JSON out) against a test registry.
enum PushHarness {
    /// Pushes `image`'s layout through `proxy` as `repository:tag`, retrying
    /// quickly (the proxy injects faults). Returns the root as pushed.
    static func pushThroughProxy(
        _ proxy: FaultProxy, repository: String, tag: String, layout: FixtureLayout
    ) throws -> Descriptor {
        var options = RegistryOptions()
        options.retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxTotal: .seconds(20))
        let client = RegistryClient(registry: proxy.url, repository: repository, options: options)
        return try PushTests.push(
            try ImageSourceLocator.open(path: layout.url.path),
            to: RegistryDestination(client: client, tags: [tag], logger: Logger(label: "test")))
    }

    /// A work directory holding `layout` as `layout/` (the `image` param
    /// `out` is given), marked as wrapping its one image when `singleImage`.
    static func workDirectory(holding layout: FixtureLayout, singleImage: Bool = true) throws -> TemporaryDirectory {
        let work = try TemporaryDirectory()
        try FileManager.default.copyItem(at: layout.url, to: work.appending("layout"))
        if singleImage {
            try Data(layout.image.manifestDigest.utf8).write(to: work.appending("layout/single-image-digest"))
        }
        return work
    }

    /// The `source` block for `repository` on `registry`, with its CA and credentials.
    static func source(_ registry: TestRegistry, _ repository: String, extra: [String: Any] = [:],
                       credentials: Bool = true) -> [String: Any] {
        var source: [String: Any] = ["repository": "\(registry.url)/\(repository)"]
        if let pem = registry.caCertificatePEM { source["ca_certs"] = [pem] }
        if credentials, let username = registry.username, let password = registry.password {
            source["username"] = username
            source["password"] = password
        }
        for (key, value) in extra { source[key] = value }
        return source
    }

    struct Response: Decodable {
        struct Version: Decodable { let tag: String?; let digest: String }
        struct Field: Decodable { let name: String; let value: String }
        let version: Version
        let metadata: [Field]
        func value(_ name: String) -> String? { metadata.first { $0.name == name }?.value }
    }

    static func out(source: [String: Any], params: [String: Any], directory: URL) throws -> Response {
        let json = try JSONSerialization.data(withJSONObject: ["source": source, "params": params])
        let data = try ConcourseCommands.push(requestJSON: [UInt8](json), sourceDirectory: directory.path)
        return try JSONDecoder().decode(Response.self, from: data)
    }

    static func fetch(source: [String: Any], digest: String, tag: String? = nil, params: [String: Any],
                      destination: URL) throws -> Response {
        var version = ["digest": digest]
        if let tag { version["tag"] = tag }
        let json = try JSONSerialization.data(withJSONObject: ["source": source, "version": version, "params": params])
        let data = try ConcourseCommands.fetch(requestJSON: [UInt8](json), destination: destination.path)
        return try JSONDecoder().decode(Response.self, from: data)
    }

    /// What `in` left in `get` of a fresh work directory.
    struct Fetched {
        let work: TemporaryDirectory
        let response: Response
        var destination: URL { work.appending("get") }
    }

    /// Runs `in` for `digest` of `repository` on `registry` into `get` of a fresh work directory.
    static func fetchIntoWork(_ registry: TestRegistry, _ repository: String, digest: String, tag: String? = nil,
                              extra: [String: Any] = [:], params: [String: Any]) throws -> Fetched {
        let work = try TemporaryDirectory()
        let response = try fetch(source: source(registry, repository, extra: extra), digest: digest, tag: tag,
                                 params: params, destination: work.appending("get"))
        return Fetched(work: work, response: response)
    }

    /// Tags of `repository`, read with skopeo (not our client).
    static func tags(_ registry: TestRegistry, _ repository: String) throws -> Set<String> {
        struct Tags: Decodable { let Tags: [String] }
        let out = try ExternalCommand.check(
            "skopeo", ["list-tags"] + registry.skopeoInspectFlags() + ["docker://\(registry.url)/\(repository)"])
        return Set(try JSONDecoder().decode(Tags.self, from: out).Tags)
    }

    /// The digest the registry serves for `repository:tag`: sha256 of the raw manifest skopeo reads.
    static func servedDigest(_ registry: TestRegistry, _ repository: String, _ tag: String) throws -> String {
        try ExternalDigest.sha256(try skopeoInspect(registry, repository: repository, reference: tag, raw: true))
    }

    /// A docker-archive tarball of `layout:tag` written by skopeo, named `repository:tag` inside.
    static func dockerArchive(from layout: URL, tag: String, to file: URL, name: String) throws {
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(layout.path):\(tag)", "docker-archive:\(file.path):\(name)"])
    }

    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["A=1"], labels: ["org.example.team": "push", "other": "x"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/hello", "hello from push\n")]),
            LayerSpec([.randomFile("opt/blob", size: 700_000, seed: "push")]),
        ])

    static let index = IndexSpec(tag: "multi", images: [
        ImageSpec(tag: "amd", architecture: "amd64", config: ImageConfigSpec(env: ["P=amd64"]),
                  layers: [LayerSpec([.file("arch", "amd64\n")])]),
        ImageSpec(tag: "arm", architecture: "arm64", config: ImageConfigSpec(env: ["P=arm64"]),
                  layers: [LayerSpec([.file("arch", "arm64\n")])]),
    ])
}
