import Testing
@testable import FastExtract

@Suite struct DigestTests {
    @Test func parsesSHA256() throws {
        let digest = try Digest(parsing: "sha256:" + String(repeating: "ab", count: 32))
        #expect(digest.algorithm == "sha256")
        #expect(digest.description.hasPrefix("sha256:abab"))
    }

    @Test func rejectsMalformed() {
        #expect(throws: DigestError.self) { try Digest(parsing: "sha256:xyz") }
        #expect(throws: DigestError.self) { try Digest(parsing: "md5:" + String(repeating: "a", count: 32)) }
        #expect(throws: DigestError.self) { try Digest(parsing: "nocolon") }
    }
}
