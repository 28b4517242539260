import Foundation
import OCIModel
import TestSupport
import Testing

/// Hostile manifests, indexes and configs: seeded mutations (byte flips,
/// truncation, splices, type swaps, huge numbers, deep nesting) of real
/// documents written by `build_image.py`. Decoding must throw or succeed —
/// never crash — and a failure must read as one line. Deterministic per seed;
/// `make fuzz` runs more seeds (RI_FUZZ_SEEDS / RI_FUZZ_COUNT).
@Suite("Fuzzed manifests and configs")
struct FaultDecoderFuzzTests {
    static let fragments: [String] = [
        "null", "true", "-1", "1e309", "18446744073709551616", "\"\"", "[]", "{}", "\"sha256:\"",
        "\"../../etc/passwd\"", "\"\\u0000\"", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        "\"" + String(repeating: "a", count: 70_000) + "\"", "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\"}",
    ]

    static func mutate(_ document: Data, _ rng: inout SeededGenerator) -> Data {
        var bytes = [UInt8](document)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(at...)
            case 2: bytes.insert(contentsOf: Array((fragments.randomElement(using: &rng) ?? "").utf8), at: at)
            case 3:
                // Replace a JSON value after a colon with a fragment.
                if let colon = bytes[at...].firstIndex(of: UInt8(ascii: ":")),
                   let end = bytes[colon...].firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "}") }) {
                    bytes.replaceSubrange((colon + 1)..<end, with: Array((fragments.randomElement(using: &rng) ?? "").utf8))
                }
            default: bytes.remove(at: at)
            }
        }
        return Data(bytes)
    }

    /// Manifest, index and config documents of real fixture images.
    static func seedDocuments() throws -> [(kind: String, data: Data)] {
        let single = try buildFixture(ImageSpec(
            tag: "v1", config: ImageConfigSpec(env: ["A=1"], cmd: ["/bin/sh"], user: "1000", labels: ["l": "v"]),
            layers: [LayerSpec([.file("f", "x")])]))
        var documents: [(String, Data)] = []
        let blobs = single.url.appendingPathComponent("blobs/sha256")
        for name in try FileManager.default.contentsOfDirectory(atPath: blobs.path) {
            let data = try Data(contentsOf: blobs.appendingPathComponent(name))
            guard data.first == UInt8(ascii: "{") else { continue }  // layers are gzip
            documents.append((String(decoding: data, as: UTF8.self).contains("\"diff_ids\"") ? "config" : "manifest", data))
        }
        documents.append(("index", try Data(contentsOf: single.url.appendingPathComponent("index.json"))))
        return documents
    }

    static var seeds: [UInt64] {
        ProcessInfo.processInfo.environment["RI_FUZZ_SEEDS"].map { $0.split(separator: ",").compactMap { UInt64($0) } } ?? [1, 2, 3]
    }

    static var perSeed: Int { Int(ProcessInfo.processInfo.environment["RI_FUZZ_COUNT"] ?? "") ?? 400 }

    @Test func mutatedDocumentsNeverCrash() throws {
        let documents = try Self.seedDocuments()
        #expect(Set(documents.map(\.kind)) == ["manifest", "config", "index"])
        var rejected = 0
        var accepted = 0
        for seed in Self.seeds {
            var rng = SeededGenerator(state: seed)
            for _ in 0..<Self.perSeed {
                let (kind, original) = documents[Int.random(in: 0..<documents.count, using: &rng)]
                let mutated = Self.mutate(original, &rng)
                let mediaType: String? = [nil, MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest]
                    .randomElement(using: &rng) ?? nil
                do {
                    if kind == "config" {
                        _ = try JSONDecoder().decode(ImageConfig.self, from: mutated)
                    } else {
                        _ = try ManifestKind.decode(mutated, mediaType: mediaType)
                    }
                    accepted += 1
                } catch let error as OCIModelError {
                    rejected += 1
                    #expect(!error.description.contains("\n"), "multi-line error for seed \(seed)")
                } catch {
                    rejected += 1
                }
            }
        }
        #expect(rejected > 0)
        #expect(accepted > 0)
    }
}
