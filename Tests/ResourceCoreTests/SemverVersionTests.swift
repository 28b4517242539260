@testable import ResourceCore
import Testing

@Suite("SemanticVersion")
struct SemverVersionTests {
    struct Parsed: Sendable, CustomTestStringConvertible {
        let text: String
        let major: UInt64, minor: UInt64, patch: UInt64
        var pre = "", meta = ""
        var testDescription: String { text }
    }

    @Test(arguments: [
        Parsed(text: "1", major: 1, minor: 0, patch: 0),
        Parsed(text: "1.2", major: 1, minor: 2, patch: 0),
        Parsed(text: "1.2.3", major: 1, minor: 2, patch: 3),
        Parsed(text: "v1.2.3", major: 1, minor: 2, patch: 3),
        Parsed(text: "v2", major: 2, minor: 0, patch: 0),
        Parsed(text: "01.02.03", major: 1, minor: 2, patch: 3),
        Parsed(text: "1.2.3-beta.1+build.5", major: 1, minor: 2, patch: 3, pre: "beta.1", meta: "build.5"),
        Parsed(text: "1.2-alpha", major: 1, minor: 2, patch: 0, pre: "alpha"),
        Parsed(text: "1.0.0-rc.1-foo", major: 1, minor: 0, patch: 0, pre: "rc.1-foo"),
        Parsed(text: "1.2.3-php7.3-apache", major: 1, minor: 2, patch: 3, pre: "php7.3-apache"),
        Parsed(text: "1.2.3+meta-x.2", major: 1, minor: 2, patch: 3, meta: "meta-x.2"),
        Parsed(text: "1.2.3--", major: 1, minor: 2, patch: 3, pre: "-"),
        Parsed(text: "1.0.0-0", major: 1, minor: 0, patch: 0, pre: "0"),
        Parsed(text: "18446744073709551615", major: UInt64.max, minor: 0, patch: 0),
    ])
    func parsesValidVersions(_ c: Parsed) throws {
        let v = try SemanticVersion(parsing: c.text)
        #expect(v.major == c.major)
        #expect(v.minor == c.minor)
        #expect(v.patch == c.patch)
        #expect(v.preRelease == c.pre)
        #expect(v.metadata == c.meta)
        #expect(v.original == c.text)
    }

    @Test(arguments: [
        "", "V1.2.3", "1.2.3.4", "1.2.", "1.", ".1", "a.b.c", "1.2.3-", "1.2.3-beta..1", "1.2.3-beta.",
        "1.2.3-01", "1.2.3-beta.007", "1.2.3+", "1.2.3+a..b", "latest", " 1.2.3", "1.2.3 ", "1.2.x",
        "18446744073709551616", "1.2.3-béta", "1.2.3_4", "-1.2.3", "vv1",
        String(repeating: "1", count: 257),
    ])
    func rejectsInvalidVersions(_ text: String) {
        #expect(throws: SemanticVersionError.self) { try SemanticVersion(parsing: text) }
    }

    @Test func errorsNameTheInput() {
        #expect(throws: SemanticVersionError.malformed("1.2.3.4")) { try SemanticVersion(parsing: "1.2.3.4") }
        #expect(throws: SemanticVersionError.leadingZeroInPreRelease("1.0.0-01")) { try SemanticVersion(parsing: "1.0.0-01") }
        #expect(SemanticVersionError.malformed("x").description == "'x' is not a semantic version")
    }

    @Test func orderingFollowsSemVerPrecedence() throws {
        let ascending = [
            "0.0.1", "0.1.0", "0.1.1", "1.0.0-0", "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-alpha",
            "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0-rc1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0", "10.0.0",
        ]
        let versions = try ascending.map { try SemanticVersion(parsing: $0) }
        for (i, lower) in versions.enumerated() {
            for higher in versions[(i + 1)...] {
                #expect(lower < higher, "\(lower) < \(higher)")
                #expect(lower.precedence(comparedTo: higher) == -1)
                #expect(higher.precedence(comparedTo: lower) == 1)
            }
        }
        #expect(versions.shuffled().sorted().map(\.original) == ascending)
    }

    @Test func numericPreReleaseIdentifiersTooLargeCompareAsText() throws {
        // Go's ParseUint fails on these, so Masterminds compares them as strings (above numbers).
        let huge = try SemanticVersion(parsing: "1.0.0-99999999999999999999")
        let small = try SemanticVersion(parsing: "1.0.0-5")
        #expect(small < huge)
    }

    @Test func equalityIgnoresMetadataAndMissingParts() throws {
        let a = try SemanticVersion(parsing: "1.2")
        let b = try SemanticVersion(parsing: "v1.2.0+build.7")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        let preRelease = try SemanticVersion(parsing: "1.2.0-rc.1")
        #expect(preRelease != a)
        #expect(b.description == "1.2.0+build.7")
        let withV = try SemanticVersion(parsing: "v1.2")
        #expect(withV.description == "1.2.0")
    }
}
