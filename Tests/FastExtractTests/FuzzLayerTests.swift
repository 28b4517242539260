import Foundation
import Testing

/// Seeded random tars (random names with `..`, absolute paths into the
/// sandbox's `outside/`, symlinks and hardlinks aimed out, whiteouts, byte
/// flips, truncation, gzip) through the whole layer pipeline. Deterministic
/// per seed, bounded in count so it runs in a few seconds. For open-ended
/// fuzzing run `make fuzz` (more seeds, see the Makefile).
@Suite("Fuzzed layers", .serialized)
struct FuzzLayerTests {
    static var seeds: [Int] {
        if let text = ProcessInfo.processInfo.environment["RI_FUZZ_SEEDS"] {
            return text.split(separator: ",").compactMap { Int($0) }
        }
        return [1, 2]
    }

    static var perSeed: Int { Int(ProcessInfo.processInfo.environment["RI_FUZZ_COUNT"] ?? "") ?? 150 }

    @Test func randomLayersNeverEscapeOrCrash() throws {
        let sandbox = try HostileLayerSandbox()
        var failed = 0
        var applied = 0
        for seed in Self.seeds {
            for blob in try sandbox.generate(["random", String(seed), String(Self.perSeed)]) {
                let error = try sandbox.apply(blob, fallback: blob.name.hasSuffix("1"))
                if error == nil { applied += 1 } else { failed += 1 }
                let escapes = sandbox.escapes()
                #expect(escapes == [], "\(blob.name): \(escapes)")
                if !escapes.isEmpty { return }
            }
        }
        // The generator must exercise both outcomes, or it is not testing much.
        #expect(applied > 0)
        #expect(failed > 0)
    }
}
