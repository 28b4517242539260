import Foundation
import Testing
import TestSupport

/// Peak memory of `in` does not grow with the layer count: 200 layers stay
/// under 64 MiB of RSS (GNU time's figure). The single 2 GiB layer case is in
/// `Benchmarks/field_rss.sh` (too slow for `make test`).
@Suite("Field memory", .serialized)
struct FieldMemoryTests {
    @Test func twoHundredLayersStayUnder64MiB() throws {
        let registry = try TestRegistry(.plain)
        defer { registry.stop() }
        let layout = try TemporaryDirectory(prefix: "field-many")
        let script = TestPaths.packageRoot.appendingPathComponent("Benchmarks/make_rss_images.py").path
        try ExternalCommand.check("python3", [script, layout.path + "/oci", "many", "200"])
        let digest = try pushLayout(layout.url.appendingPathComponent("oci"), layoutTag: "many", to: registry,
                                    repository: "field/many", tag: "many")
        let destination = try TemporaryDirectory(prefix: "field-many-in")
        let request = ResourceRunner.inRequest(repository: "\(registry.url)/field/many", digest: digest, tag: "many")
        let body = try JSONSerialization.data(withJSONObject: request)
        let rssFile = layout.path + "/rss"
        let result = try ResourceRunner.run(["in", destination.path], stdin: body,
                                            wrapper: ["/usr/bin/time", "-f", "%M", "-o", rssFile])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: rssFile, encoding: .utf8)
        let kib = try #require(Int(text.split(separator: "\n").last.map(String.init) ?? ""), "time wrote: \(text)")
        print("field: 200 layers: peak RSS \(kib) KiB")
        #expect(kib < 64 * 1024, "peak RSS \(kib) KiB")
        let layers = try FileManager.default.contentsOfDirectory(atPath: destination.path + "/rootfs")
        #expect(layers.count == 200)
    }
}
