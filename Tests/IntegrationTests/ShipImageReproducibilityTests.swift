import Foundation
import TestSupport
import Testing

/// `make image` twice from the same commit gives the same image: the tree is
/// assembled again from the same binary, packed again, and the digest (and
/// the docker-archive's bytes) must equal what `make image` produced.
@Suite("Resource image is reproducible", .serialized, .enabled(if: ShipImage.enabled))
struct ShipImageReproducibilityTests {
    @Test func sameInputsGiveTheSameDigest() throws {
        #expect(ShipImage.built, "no image in \(ShipImage.directory.path): run `make image` (make test does)")
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: ShipImage.layout.appendingPathComponent("index.json")))
        let manifestDigest = try #require(((index as? [String: Any])?["manifests"] as? [[String: Any]])?.first?["digest"] as? String)
        #expect(manifestDigest == (try ShipImage.digest()))
        let manifest = try ShipImage.jsonBlob(manifestDigest)
        let configDigest = try #require((manifest["config"] as? [String: Any])?["digest"] as? String)
        let config = try ShipImage.jsonBlob(configDigest)
        let labels = try #require((config["config"] as? [String: Any])?["Labels"] as? [String: String])
        for key in ["source", "version", "revision"] {
            #expect(!(labels["org.opencontainers.image.\(key)"] ?? "").isEmpty, "label \(key)")
        }
        // The commit's time, as `created`; every layer entry carries it too.
        let created = try #require(config["created"] as? String)
        let epoch = try #require(ISO8601DateFormatter().date(from: created)).timeIntervalSince1970
        let revision = try #require(labels["org.opencontainers.image.revision"])
        if revision != "unknown" {  // "unknown": built outside a git checkout, created is 0
            let commitTime = try ExternalCommand.check("git", ["-C", TestPaths.packageRoot.path, "log", "-1", "--format=%ct", revision])
            #expect(String(decoding: commitTime, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == String(Int(epoch)))
        }

        let layers = try #require(manifest["layers"] as? [[String: Any]])
        #expect(layers.count == 1)
        #expect(layers.first?["mediaType"] as? String == "application/vnd.oci.image.layer.v1.tar+gzip")
        let layerHex = try #require(layers.first?["digest"] as? String).replacingOccurrences(of: "sha256:", with: "")
        let layerPath = ShipImage.layout.appendingPathComponent("blobs/sha256/\(layerHex)").path
        // gzip -n: no name, no timestamp in the header.
        let header = try #require(FileHandle(forReadingAtPath: layerPath)).readData(ofLength: 10)
        #expect(Array(header.prefix(3)) == [0x1f, 0x8b, 8])
        #expect(header[3] & 0x08 == 0, "gzip header holds a file name")
        #expect(Array(header[4..<8]) == [0, 0, 0, 0], "gzip header holds a time")
        // GNU tar's listing: sorted names, one mtime, owner 0/0.
        let listing = String(decoding: try ExternalCommand.check("tar", ["--numeric-owner", "--full-time", "-tvzf", layerPath]), as: UTF8.self)
        let lines = listing.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let names = lines.map { String($0[5]) }
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        let stamp = String(created.dropLast().replacingOccurrences(of: "T", with: " "))
        #expect(lines.allSatisfy { "\($0[3]) \($0[4])" == stamp }, "an entry's mtime is not \(stamp)")
        #expect(lines.allSatisfy { $0[1] == "0/0" })

        // The docker-archive holds the same image, as skopeo reads it.
        let archive = try JSONSerialization.jsonObject(
            with: try ExternalCommand.check("skopeo", ["inspect", "docker-archive:\(ShipImage.dockerArchive.path)"])) as? [String: Any]
        #expect((archive?["Layers"] as? [String])?.count == 1)
        #expect(archive?["Labels"] as? [String: String] == labels)

        // Again, from the same binary: assemble the tree, pack it.
        let work = try TemporaryDirectory(prefix: "ship-repro")
        try ExternalCommand.check(
            "bash", [TestPaths.packageRoot.appendingPathComponent("scripts/image-rootfs.sh").path,
                     "--binary", ShipImage.binary.path, work.appending("root").path])
        try ExternalCommand.check(
            "bash", [TestPaths.packageRoot.appendingPathComponent("scripts/image-oci.sh").path,
                     "--rootfs", work.appending("root").path, "--out", work.appending("image").path,
                     "--tag", try ShipImage.tag(), "--created", String(Int(epoch)),
                     "--version", try #require(labels["org.opencontainers.image.version"]),
                     "--revision", try #require(labels["org.opencontainers.image.revision"]),
                     "--source", try #require(labels["org.opencontainers.image.source"])])
        let again = try String(contentsOf: work.appending("image/digest"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(again == manifestDigest)
        #expect(try ExternalDigest.sha256(ofFile: work.appending("image/registry-image.tar").path)
                == (try ExternalDigest.sha256(ofFile: ShipImage.dockerArchive.path)))
    }
}
