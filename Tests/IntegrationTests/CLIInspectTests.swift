import Foundation
import Testing
import TestSupport

/// `inspect` through the executable, against what skopeo reads from the same
/// registry, OCI layout, skopeo dir and docker-archive.
@Suite("registry-image inspect", .serialized)
struct CLIInspectTests {
    static let image = ImageSpec(
        tag: "v1", created: "2024-03-04T05:06:07Z",
        config: ImageConfigSpec(env: ["PATH=/usr/bin", "A=b c"], cmd: ["-c", "echo hi"], entrypoint: ["/bin/sh"],
                                user: "1000", workingDir: "/srv", labels: ["org.example.k": "v", "z": "last"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/one", "1\n")]),
            LayerSpec([.randomFile("opt/blob", size: 200_000, seed: "inspect")], compression: .zstd),
        ])

    static func inspect(_ arguments: [String]) throws -> CommandResult {
        try ResourceRunner.run(["inspect"] + arguments)
    }

    static func json(_ result: CommandResult) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try ResourceRunner.json(result) as? [String: Any])
    }

    @Test func rawAndConfigAreSkopeosBytesOnEveryTransport() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(Self.image, to: registry, repository: "inspect/app")
        let layout = try buildFixture(Self.image)
        let work = try TemporaryDirectory(prefix: "inspect")
        let dir = work.appending("dir").path
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(layout.url.path):v1", "dir:\(dir)"])

        let names: [(ours: String, skopeo: String, flags: [String], digest: String)] = [
            ("docker://\(registry.url)/inspect/app:v1", "docker://\(registry.url)/inspect/app:v1", ["--tls-verify=false"],
             pushed.manifestDigest),
            ("\(registry.url)/inspect/app@\(pushed.manifestDigest)", "docker://\(registry.url)/inspect/app@\(pushed.manifestDigest)",
             ["--tls-verify=false"], pushed.manifestDigest),
            ("oci:\(layout.url.path):v1", "oci:\(layout.url.path):v1", [], layout.image.manifestDigest),
            ("dir:\(dir)", "dir:\(dir)", [], layout.image.manifestDigest),
            (dir, "dir:\(dir)", [], layout.image.manifestDigest),
        ]
        for name in names {
            let raw = try Self.inspect(["--raw", name.ours])
            #expect(raw.status == 0, "\(name.ours): \(raw.stderr)")
            let reference = try ExternalCommand.check("skopeo", ["inspect", "--raw"] + name.flags + [name.skopeo])
            #expect(raw.stdout == reference, "\(name.ours): --raw differs from skopeo's")
            #expect(try ExternalDigest.sha256(raw.stdout) == name.digest, "\(name.ours)")
            let described = try Self.json(try Self.inspect(["--format", "json", name.ours]))
            #expect(described["digest"] as? String == name.digest, "\(name.ours)")

            let config = try Self.inspect(["--config", name.ours])
            let skopeoConfig = try ExternalCommand.check("skopeo", ["inspect", "--raw", "--config"] + name.flags + [name.skopeo])
            #expect(config.status == 0 && config.stdout == skopeoConfig, "\(name.ours): --config differs: \(config.stderr)")
        }
        // A docker-archive's config is the same blob (its manifest is docker's
        // own); docker archives hold no zstd layers, so a gzip-only image.
        let gzipLayout = try buildFixture(PushHarness.image)
        let archive = work.appending("image.tar").path
        try ExternalCommand.check("skopeo", ["copy", "--quiet", "oci:\(gzipLayout.url.path):v1", "docker-archive:\(archive):inspect/app:v1"])
        let archiveConfig = try Self.inspect(["--config", "docker-archive:\(archive)"])
        #expect(archiveConfig.status == 0, "\(archiveConfig.stderr)")
        #expect(archiveConfig.stdout == (try ExternalCommand.check("skopeo", ["inspect", "--raw", "--config", "docker-archive:\(archive)"])))
        #expect(try ExternalDigest.sha256(archiveConfig.stdout) == gzipLayout.image.config)
    }

    @Test func jsonAndTextDescribeTheImage() throws {
        let layout = try buildFixture(Self.image)
        let described = try Self.json(try Self.inspect(["--format", "json", "oci:\(layout.url.path):v1"]))
        #expect(described["digest"] as? String == layout.image.manifestDigest)
        #expect(described["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
        #expect(described["platforms"] == nil)
        let image = try #require(described["image"] as? [String: Any])
        #expect(image["created"] as? String == "2024-03-04T05:06:07Z")
        #expect(image["platform"] as? String == "linux/amd64")
        #expect(image["env"] as? [String] == ["PATH=/usr/bin", "A=b c"])
        #expect(image["entrypoint"] as? [String] == ["/bin/sh"])
        #expect(image["cmd"] as? [String] == ["-c", "echo hi"])
        #expect(image["user"] as? String == "1000" && image["workingDir"] as? String == "/srv")
        #expect(image["labels"] as? [String: String] == ["org.example.k": "v", "z": "last"])
        let layers = try #require(image["layers"] as? [[String: Any]])
        let built = try #require(layout.image.layers)
        #expect(layers.map { $0["digest"] as? String } == built.map(\.digest))
        #expect(layers.map { $0["size"] as? Int } == built.map(\.size))
        #expect(layers.last?["mediaType"] as? String == "application/vnd.oci.image.layer.v1.tar+zstd")

        let text = try Self.inspect(["oci:\(layout.url.path):v1"])
        #expect(text.status == 0, "\(text.stderr)")
        for fragment in ["Digest:     \(layout.image.manifestDigest)", "Created:    2024-03-04T05:06:07Z",
                         "  \(built[0].digest)  \(built[0].size)  application/vnd.oci.image.layer.v1.tar+gzip",
                         "  org.example.k=v", "Entrypoint: [\"/bin/sh\"]", "Cmd:        [\"-c\",\"echo hi\"]", "  A=b c"] {
            #expect(text.stdoutString.contains(fragment), "missing '\(fragment)' in:\n\(text.stdoutString)")
        }
    }

    @Test func anIndexListsItsPlatformsAndDescribesTheOneAskedFor() throws {
        let registry = try TestRegistry(.plain)
        let pushed = try push(PushHarness.index, to: registry, repository: "inspect/multi")
        let name = "docker://\(registry.url)/inspect/multi:multi"
        let arm = try Self.json(try Self.inspect(["--format", "json", "--platform", "linux/arm64", name]))
        #expect(arm["digest"] as? String == pushed.manifestDigest)
        #expect(arm["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
        let platforms = try #require(arm["platforms"] as? [[String: Any]])
        #expect(platforms.map { $0["platform"] as? String } == ["linux/amd64", "linux/arm64"])
        let expectedDigests = try #require(pushed.image.manifests).map(\.digest)
        #expect(platforms.map { $0["digest"] as? String } == expectedDigests)
        let image = try #require(arm["image"] as? [String: Any])
        #expect(image["platform"] as? String == "linux/arm64")
        #expect(image["env"] as? [String] == ["P=arm64"])
        #expect(image["digest"] as? String == expectedDigests[1])

        let raw = try Self.inspect(["--raw", name])
        #expect(raw.stdout == (try skopeoInspect(registry, repository: "inspect/multi", reference: "multi", raw: true)))
        let armConfig = try Self.inspect(["--config", "--platform", "linux/arm64", name])
        let skopeoConfig = try ExternalCommand.check("skopeo", ["inspect", "--raw", "--config", "--tls-verify=false",
                                                                "--override-arch", "arm64", name])
        #expect(armConfig.stdout == skopeoConfig)

        let none = try Self.inspect(["--platform", "linux/s390x", name])
        FetchRequests.expectCleanFailure(none, mentioning: "s390x")
    }

    @Test func failuresAreOneLineAndUsageErrorsExitTwo() throws {
        let registry = try TestRegistry(.plain)
        let missing = try Self.inspect(["docker://\(registry.url)/inspect/none:v1"])
        FetchRequests.expectCleanFailure(missing, mentioning: "does not exist")
        #expect(missing.status == 1)
        let daemon = try Self.inspect(["docker-daemon:alpine:latest"])
        FetchRequests.expectCleanFailure(daemon, mentioning: "not supported")
        let both = try Self.inspect(["--raw", "--config", "oci:/nowhere"])
        #expect(both.status == 2, "\(both.stderr)")
        let help = try Self.inspect(["--help"])
        #expect(help.status == 0 && help.stdoutString.contains("registry-image inspect docker://alpine"))
    }
}
