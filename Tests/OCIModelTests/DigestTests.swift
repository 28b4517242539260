@testable import OCIModel
import Testing

@Suite struct DigestTests {
    @Test func parsesSHA256() throws {
        let digest = try Digest(parsing: "sha256:" + String(repeating: "ab", count: 32))
        #expect(digest.algorithm == "sha256")
        #expect(digest.description.hasPrefix("sha256:abab"))
    }

    @Test func rejectsMalformed() {
        #expect(throws: OCIModelError.self) { try Digest(parsing: "sha256:xyz") }
        #expect(throws: OCIModelError.self) { try Digest(parsing: "md5:" + String(repeating: "a", count: 32)) }
        #expect(throws: OCIModelError.self) { try Digest(parsing: "nocolon") }
    }
}
