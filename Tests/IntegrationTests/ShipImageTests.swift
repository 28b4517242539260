import Foundation
import TestSupport
import Testing

/// The resource image used the way Concourse uses a resource type: pushed to a
/// registry, fetched back with our own `in` as a rootfs (as Concourse fetches a
/// `resource_types` image), then `/opt/resource/{check,in,out}` run inside that
/// rootfs alone (mount + PID namespace, chroot) against real registries.
@Suite("Resource image, as Concourse uses it", .serialized, .enabled(if: ShipImage.enabled && ShipImage.canIsolate))
struct ShipImageTests {
    static let app = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["PATH=/bin"], cmd: ["/bin/app"], labels: ["ship": "image"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/release", "shipped\n")]),
            LayerSpec([.randomFile("bin/app", size: 300_000, seed: "ship-image")]),
        ])

    /// Pushes the image with our `push` and fetches it back with our `in`; returns the rootfs.
    static func pushAndFetch(into work: TemporaryDirectory, registry: TestRegistry) throws -> URL {
        #expect(ShipImage.built, "no image in \(ShipImage.directory.path): run `make image` (make test does)")
        let tag = try ShipImage.tag()
        let repository = "\(registry.url)/concourse/registry-image"
        let pushed = try ResourceRunner.run(["push", ShipImage.layout.path, "\(repository):\(tag)"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let digest = pushed.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(digest == (try ShipImage.digest()), "push must keep the image's digest")

        let fetched = try ResourceRunner.run(
            ["in", work.appending("image").path], request: ResourceRunner.inRequest(repository: repository, digest: digest, tag: tag))
        #expect(fetched.status == 0, "\(fetched.stderr)")
        return work.appending("image/rootfs")
    }

    @Test func checkInAndOutRunInsideTheFetchedImage() throws {
        let registry = try TestRegistry(.plain)
        defer { registry.stop() }
        let work = try TemporaryDirectory(prefix: "ship-image")
        let root = try Self.pushAndFetch(into: work, registry: registry)

        // What came back is the tree that was packed, file for file, and holds no shell.
        #expect(try ShipImage.listing(root) == (try ShipImage.listing(ShipImage.tree)))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("bin/sh").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("usr/bin").path).isEmpty)
        #expect(try ExternalDigest.sha256(ofFile: root.appendingPathComponent("opt/resource/registry-image").path)
                == (try ExternalDigest.sha256(ofFile: ShipImage.binary.path)))

        let pushed = try push(Self.app, to: registry, repository: "ship/app")
        let repository = "\(registry.url)/ship/app"

        let check = try ShipImage.runInside(root, "check", [], request: ["source": ["repository": repository, "tag": "v1"]])
        try #require(check.status == 0, "\(check.stderr)")
        let versions = try JSONSerialization.jsonObject(with: check.stdout) as? [[String: String]]
        #expect(versions == [["tag": "v1", "digest": pushed.manifestDigest]])

        let fetched = try ShipImage.runInside(
            root, "in", ["/tmp/get"], request: ResourceRunner.inRequest(repository: repository, digest: pushed.manifestDigest))
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(FileManager.default.contents(atPath: root.path + "/tmp/get/rootfs/etc/release") == Data("shipped\n".utf8))
        let app = try Data(contentsOf: root.appendingPathComponent("tmp/get/rootfs/bin/app"))
        #expect(app.count == 300_000)

        // `out` pushes a docker-archive (made by skopeo) from the put's input directory.
        let input = root.appendingPathComponent("tmp/put")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try ExternalCommand.check(
            "skopeo", ["copy", "--quiet"] + registry.skopeoFlags("src")
                + ["docker://\(repository):v1", "docker-archive:\(input.path)/image.tar:ship/app:v1"])
        let out = try ShipImage.runInside(
            root, "out", ["/tmp/put"],
            request: ["source": ["repository": "\(registry.url)/ship/out", "tag": "pushed"], "params": ["image": "image.tar"]])
        try #require(out.status == 0, "\(out.stderr)")
        let response = try ResourceRunner.response(out)
        let outDigest = try #require((response["version"] as? [String: String])?["digest"])
        let inspected = try JSONSerialization.jsonObject(
            with: try skopeoInspect(registry, repository: "ship/out", reference: "pushed")) as? [String: Any]
        #expect(inspected?["Digest"] as? String == outDigest)
        #expect((inspected?["Labels"] as? [String: String])?["ship"] == "image")
    }

    /// TLS from inside: `ca_certs` works, verification is on without it, and
    /// the system bundle libcurl reads is the image's own file.
    @Test func tlsRegistryWithCACertsFromInside() throws {
        let plain = try TestRegistry(.plain)
        defer { plain.stop() }
        let work = try TemporaryDirectory(prefix: "ship-image-tls")
        let root = try Self.pushAndFetch(into: work, registry: plain)

        let registry = try TestRegistry(.tls)
        defer { registry.stop() }
        let pushed = try push(Self.app, to: registry, repository: "ship/tls")
        let pem = try #require(registry.caCertificatePEM)
        let repository = "\(registry.url)/ship/tls"

        let trusted = try ShipImage.runInside(
            root, "check", [], request: ["source": ["repository": repository, "tag": "v1", "ca_certs": [pem]]])
        try #require(trusted.status == 0, "\(trusted.stderr)")
        #expect(try JSONSerialization.jsonObject(with: trusted.stdout) as? [[String: String]]
                == [["tag": "v1", "digest": pushed.manifestDigest]])

        let untrusted = try ShipImage.runInside(root, "check", [], request: ["source": ["repository": repository, "tag": "v1"]])
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("TLS"), "\(untrusted.stderr)")

        // The image's bundle is a real one, and it is the file libcurl trusts:
        // with the test CA added to it, no ca_certs are needed.
        let bundle = root.appendingPathComponent("etc/ssl/certs/ca-certificates.crt")
        let system = try String(contentsOf: bundle, encoding: .utf8)
        #expect(system.components(separatedBy: "-----BEGIN CERTIFICATE-----").count > 100)
        try (system + "\n" + pem + "\n").write(to: bundle, atomically: true, encoding: .utf8)
        let viaBundle = try ShipImage.runInside(root, "check", [], request: ["source": ["repository": repository, "tag": "v1"]])
        #expect(viaBundle.status == 0, "\(viaBundle.stderr)")
    }
}
