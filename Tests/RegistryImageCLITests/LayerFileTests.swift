import Testing
import ImageIO
@testable import RegistryImageCLI

@Suite struct LayerFileTests {
    static let hex = String(repeating: "0123456789abcdef", count: 4)

    @Test(arguments: [
        "\(hex)", "sha256:\(hex)", "sha256-\(hex)", "\(hex).tar.gz", "\(hex).tar.zst", "\(hex).tgz", "\(hex).tar",
    ])
    func digestFromTheFileName(_ name: String) throws {
        let file = try LayerFile(parsing: "/cache/" + name)
        #expect(file.path == "/cache/" + name)
        #expect(file.digest?.encoded == Self.hex)
    }

    @Test(arguments: ["layer.tar.gz", String(Self.hex.dropLast()), Self.hex.uppercased(), "\(Self.hex).bin"])
    func noDigestInOtherNames(_ name: String) throws {
        #expect(try LayerFile(parsing: name).digest == nil)
    }

    @Test func explicitDigestWins() throws {
        let other = String(repeating: "f", count: 64)
        let file = try LayerFile(parsing: "dir/\(Self.hex).tar.gz@sha256:\(other)")
        #expect(file.path == "dir/\(Self.hex).tar.gz")
        #expect(file.digest?.encoded == other)
        #expect(throws: ImageError.self) { try LayerFile(parsing: "a.tar@sha256:xyz") }
        #expect(throws: ImageError.self) { try LayerFile(parsing: "@sha256:\(other)") }
    }
}
