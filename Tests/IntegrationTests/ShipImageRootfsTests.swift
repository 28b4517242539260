import Foundation
import TestSupport
import Testing

/// The resource image's runtime tree, assembled by `scripts/image-rootfs.sh`
/// from exactly the Debian packages the Dockerfile installs, with
/// `/opt/resource/{check,in,out}` linking to the binary. Run inside it with
/// chroot, the three entry points prove the links, the argv[0] dispatch and
/// that the runtime library set is enough. The binary is the image's own
/// (`make image`: static Swift runtime and libarchive, stripped).
@Suite("Image rootfs", .serialized, .enabled(if: ShipImage.enabled))
struct ShipImageRootfsTests {
    static let image = ImageSpec(
        tag: "v1", config: ImageConfigSpec(env: ["PATH=/bin"], cmd: ["/bin/app"], labels: ["ship": "yes"]),
        layers: [
            LayerSpec([.dir("etc"), .file("etc/release", "ship\n")]),
            LayerSpec([.randomFile("bin/app", size: 200_000, seed: "ship")], compression: .zstd),
        ])

    static func assemble() throws -> TemporaryDirectory {
        let tree = try TemporaryDirectory(prefix: "image-rootfs")
        try ExternalCommand.check(
            "bash", [TestPaths.packageRoot.appendingPathComponent("scripts/image-rootfs.sh").path,
                     "--binary", ShipImage.binary.path, tree.url.path + "/root"])
        return tree
    }

    static func expectLinksAndOnlyDeclaredLibraries(_ root: String) throws {
        for entry in ["check", "in", "out"] {
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/opt/resource/\(entry)") == "registry-image")
        }
        #expect(FileManager.default.isExecutableFile(atPath: "\(root)/opt/resource/registry-image"))
        // The declared runtime libraries are there; tools the Dockerfile does not install are not.
        func hasLibrary(_ library: String) -> Bool {
            FileManager.default.fileExists(atPath: "\(root)/usr/lib/x86_64-linux-gnu/\(library)")
                || FileManager.default.fileExists(atPath: "\(root)/usr/lib/aarch64-linux-gnu/\(library)")
        }
        for library in ["libcurl.so.4", "libssl.so.3", "libisal.so.2", "libzstd.so.1"] {
            #expect(hasLibrary(library), "\(library)")
        }
        // libarchive is linked in (scripts/build-static.sh), so its libxml2 and ICU stay out.
        for library in ["libarchive.so.13", "libxml2.so.2", "libicudata.so.72"] {
            #expect(!hasLibrary(library), "\(library)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(root)/usr/bin/python3"))
        #expect(!FileManager.default.fileExists(atPath: "\(root)/usr/bin/skopeo"))
    }

    /// Assembling without root still checks the tree; running in it needs chroot
    /// and namespaces.
    @Test func entryPointsRunInsideTheTree() throws {
        let registry = try TestRegistry(.plain)
        defer { registry.stop() }
        let pushed = try push(Self.image, to: registry, repository: "ship/app")
        let tree = try Self.assemble()
        let root = tree.url.path + "/root"
        try Self.expectLinksAndOnlyDeclaredLibraries(root)
        guard ShipImage.canIsolate else { return }
        func chroot(_ entry: String, _ arguments: [String], _ request: Any) throws -> CommandResult {
            let json = try JSONSerialization.data(withJSONObject: request)
            // A minimal environment, as a container would have, with its own /proc.
            return try ExternalCommand.run(
                "unshare", ["--mount", "--pid", "--fork", "--mount-proc=\(root)/proc",
                            "chroot", root, "/opt/resource/\(entry)"] + arguments, stdin: json,
                environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "RI_RETRY_BASE_DELAY_MS": "5"])
        }
        let repository = "\(registry.url)/ship/app"

        let check = try chroot("check", [], ["source": ["repository": repository, "tag": "v1"]])
        #expect(check.status == 0, "\(check.stderr)")
        let versions = try JSONSerialization.jsonObject(with: check.stdout) as? [[String: String]]
        #expect(versions == [["tag": "v1", "digest": pushed.manifestDigest]])

        let fetched = try chroot("in", ["/tmp/dest"], ResourceRunner.inRequest(repository: repository, digest: pushed.manifestDigest))
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let response = try ResourceRunner.response(fetched)
        #expect((response["version"] as? [String: String])?["digest"] == pushed.manifestDigest)
        #expect(FileManager.default.contents(atPath: "\(root)/tmp/dest/rootfs/etc/release") == Data("ship\n".utf8))
        #expect(FileManager.default.contents(atPath: "\(root)/tmp/dest/digest") == Data(pushed.manifestDigest.utf8))
        let app = try Data(contentsOf: URL(fileURLWithPath: "\(root)/tmp/dest/rootfs/bin/app"))
        #expect(app.count == 200_000)

        // `out` is reached through its own link: it asks for its own required field.
        let out = try chroot("out", ["/tmp"], ["source": ["repository": repository], "params": [String: String]()])
        #expect(out.status == 1)
        #expect(out.stderr.contains("'params.image'") || out.stderr.contains("'image'"), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
    }
}
