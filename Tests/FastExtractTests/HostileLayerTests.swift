import Foundation
import Glibc
@testable import OCIModel
import Testing

/// A hand-made corpus of hostile layers (traversal, symlink and hardlink
/// escapes, loops, huge and broken headers, NUL and newline names, duplicates,
/// bombs), each applied with both parent resolvers: the process must not
/// crash, nothing outside the scratch rootfs may change, and the broken ones
/// must fail.
@Suite("Hostile layers", .serialized)
struct HostileLayerTests {
    /// Blobs that cannot be a valid layer: the fetch must fail on them.
    static let mustFail: Set<String> = [
        "truncated-header", "truncated-body", "truncated-pax", "huge-size-claim", "gzip-truncated",
        "gzip-bomb-bounded", "zstd-magic-garbage", "base256-size-claim",
    ]

    @Test(arguments: bothResolvers) func corpusStaysInsideTheRootfs(fallback: Bool) throws {
        let sandbox = try HostileLayerSandbox()
        let blobs = try sandbox.generate(["corpus"])
        #expect(blobs.count >= 30)
        for blob in blobs {
            let error = try sandbox.apply(blob, fallback: fallback)
            #expect(sandbox.escapes() == [], "\(blob.name) (fallback: \(fallback)) reached outside the rootfs")
            if Self.mustFail.contains(blob.name) {
                #expect(error != nil, "\(blob.name) was accepted")
            }
            if let error {
                // Every failure reads as one line a person can act on.
                #expect(!String(describing: error).contains("\n"), "\(blob.name): multi-line error")
            }
        }
    }

    @Test func gzipBombStopsAtTheDeclaredSize() throws {
        let sandbox = try HostileLayerSandbox()
        let bomb = try #require(try sandbox.generate(["corpus"]).first { $0.name == "gzip-bomb-bounded" })
        let error = try sandbox.apply(bomb, fallback: false)
        #expect(error is BlobVerificationError, "got \(String(describing: error))")
        // Only what the declared half of the blob inflates to may reach disk; the whole would be 64 MiB.
        #expect(sandbox.rootfsBytes() < 48 << 20)
    }

    @Test func escapesThatAreClampedLandInside() throws {
        let sandbox = try HostileLayerSandbox()
        let blobs = Dictionary(uniqueKeysWithValues: try sandbox.generate(["corpus"]).map { ($0.name, $0) })
        // An absolute symlink is resolved as if the rootfs were `/`: the file lands under rootfs/<outside>.
        let symlinked = try #require(blobs["symlink-absolute-write"])
        #expect(try sandbox.apply(symlinked, fallback: false) == nil)
        #expect(FileManager.default.fileExists(atPath: sandbox.rootfs + sandbox.outside + "/pwned"))
        // A duplicate entry replaces the earlier one.
        #expect(try sandbox.apply(try #require(blobs["duplicate-file"]), fallback: true) == nil)
        #expect(FileManager.default.contents(atPath: sandbox.rootfs + "/f") == Data("two".utf8))
        // Replacing a symlink replaces the link, never its target.
        #expect(try sandbox.apply(try #require(blobs["symlink-overwrite-target-file"]), fallback: false) == nil)
        #expect(FileManager.default.contents(atPath: sandbox.rootfs + "/s") == Data("changed".utf8))
        #expect(sandbox.escapes() == [])
    }
}
