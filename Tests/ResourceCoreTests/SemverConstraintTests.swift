@testable import ResourceCore
import Testing

@Suite("VersionConstraint")
struct SemverConstraintTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let constraint: String
        let version: String
        let satisfied: Bool
        init(_ constraint: String, _ version: String, _ satisfied: Bool) {
            self.constraint = constraint
            self.version = version
            self.satisfied = satisfied
        }
        var testDescription: String { "'\(constraint)' \(satisfied ? "admits" : "refuses") \(version)" }
    }

    static let cases: [Case] = [
        // equality; a partial version means the whole line
        Case("=2.0.0", "1.2.3", false), Case("=2.0.0", "2.0.0", true), Case("2.0.0", "2.0.0+build", true),
        Case("=2.0", "2.0.1", true), Case("=2.0", "2.1.0", false), Case("4.1", "4.1.0", true),
        Case("4", "4.9.9", true), Case("4", "5.0.0", false), Case("v4.1.2", "4.1.2", true),
        // not equal
        Case("!=4.1.0", "4.1.0", false), Case("!=4.1.0", "4.1.1", true), Case("!=4.x", "4.1.0", false),
        Case("!=4.x", "5.1.0", true), Case("!=4.1.x", "4.2.0", true), Case("!=4.1.x", "4.1.2", false),
        Case("!=4.1", "4.1.2", false), Case("!=4.1", "3.1.2", true),
        // greater
        Case(">1.1", "4.1.0", true), Case(">1.1", "1.1.0", false), Case(">1.1", "1.1.9", false),
        Case(">1.1", "1.2.0", true), Case(">1", "1.9.0", false), Case(">1", "2.0.0", true),
        Case(">1.1.0", "1.1.1", true), Case(">0", "0.0.1-alpha", false), Case(">0.0", "0.0.1-alpha", false),
        Case(">0-0", "0.0.1-alpha", false), Case(">0.0-0", "0.0.1-alpha", false), Case(">0.0.0-0", "0.0.1-alpha", true),
        Case(">1.2.3-alpha.1", "1.2.3-alpha.2", true), Case(">1.2.3-alpha.1", "1.3.3-alpha.2", true),
        Case(">1.2.3-alpha.1", "1.2.3-alpha.1", false),
        // less
        Case("<1.1", "1.1.0", false), Case("<1.1", "1.0.9", true), Case("<1.1", "1.1.0-rc.1", false),
        Case("<2", "1.9.9", true), Case("<2", "2.0.0", false), Case("<1.1-0", "1.1.0-rc.1", false), Case("<1.1-0", "1.0.5-rc.1", true),
        // less or equal; partial versions include their whole line
        Case("<=1.1", "1.1.9", true), Case("<=1.1", "1.2.0", false), Case("<=1", "1.9.9", true),
        Case("<=1", "2.0.0", false), Case("<=1.1.0", "1.1.1", false), Case("=<1.1", "1.1.5", true),
        // greater or equal
        Case(">=1.1", "4.1.0", true), Case(">=1.1", "1.1.0", true), Case(">=1.1", "1.0.9", false),
        Case("=>1.1", "1.1.0", true), Case(">=0", "0.0.1-alpha", false), Case(">=0.0", "0.0.1-alpha", false),
        Case(">=0-0", "0.0.1-alpha", true), Case(">=1.0.0-0", "1.0.0-alpha", true),
        Case(">=1.2.3", "1.2.4-beta", false), Case(">=1.2.3-0", "1.2.4-beta", true),
        // tilde
        Case("~1.2.3", "1.2.4", true), Case("~1.2.3", "1.3.4", false), Case("~1.2.3", "1.2.2", false),
        Case("~1.2", "1.2.4", true), Case("~1.2", "1.3.4", false), Case("~1", "1.2.4", true),
        Case("~1", "2.3.4", false), Case("~0.2.3", "0.2.5", true), Case("~0.2.3", "0.3.5", false),
        Case("~1.2.3-beta.2", "1.2.3-beta.4", true), Case("~1.2.3-beta.2", "1.2.4-beta.2", true),
        Case("~1.2.3-beta.2", "1.3.4-beta.2", false), Case("~1.2.3-beta.2", "1.2.3-beta.1", false),
        Case("~*", "5.0.0", true), Case("~1.x", "1.9.0", true), Case("~1.2.x", "1.2.9", true),
        Case("~1.2.x", "1.3.0", false), Case("~>1.2.3", "1.2.9", true), Case("~>1.2.3", "1.3.0", false),
        Case("~0", "0.9.0", true), Case("~0", "1.0.0", false),
        // caret
        Case("^1.2.3", "1.8.9", true), Case("^1.2.3", "2.8.9", false), Case("^1.2.3", "1.2.1", false),
        Case("^1.1.0", "2.1.0", false), Case("^1.2.0", "2.2.1", false), Case("^1.2.0", "1.2.1-alpha.1", false),
        Case("^1.2.0-alpha.0", "1.2.1-alpha.1", true), Case("^1.2.0-alpha.0", "1.2.1-alpha.0", true),
        Case("^1.2.0-alpha.2", "1.2.0-alpha.1", false), Case("^1.2", "1.8.9", true), Case("^1.2", "2.8.9", false),
        Case("^1", "1.8.9", true), Case("^1", "2.8.9", false), Case("^0.2.3", "0.2.5", true),
        Case("^0.2.3", "0.5.6", false), Case("^0.2", "0.2.5", true), Case("^0.2", "0.5.6", false),
        Case("^0.0.3", "0.0.3", true), Case("^0.0.3", "0.0.4", false), Case("^0.0", "0.0.3", true),
        Case("^0.0", "0.1.4", false), Case("^0.0", "1.0.4", false), Case("^0", "0.2.3", true),
        Case("^0", "1.1.4", false), Case("^0.2.3-beta.2", "0.2.3-beta.4", true),
        Case("^0.2.3-beta.2", "0.2.4-beta.2", true), Case("^0.2.3-beta.2", "0.3.4-beta.2", false),
        Case("^0.2.3-beta.2", "0.2.3-beta.1", false),
        // Masterminds' code (not its comment) makes `^*` mean ^0.0.0, i.e. exactly 0.0.0.
        Case("^*", "7.0.0", false), Case("^*", "0.0.0", true),
        // wildcards
        Case("*", "1.0.0", true), Case("*", "4.5.6", true), Case("*", "1.2.3-alpha.1", false),
        Case("*-0", "1.2.3-alpha.1", true), Case("x", "0.0.1", true), Case("2.*", "1.0.0", false),
        Case("2.*", "3.4.5", false), Case("2.*", "2.1.1", true), Case("2.1.*", "2.1.1", true),
        Case("2.1.*", "2.2.1", false), Case("2.X", "2.9.0", true), Case("1.2.x", "1.2.3-beta", false),
        Case("v1.2.x", "1.2.5", true), Case(">=v1.2", "1.3.0", true),
        // AND with spaces or commas, OR with ||
        Case(">= 1.2 < 3.0.0 || >= 4.2.3", "1.2.0", true), Case(">= 1.2 < 3.0.0 || >= 4.2.3", "2.9.9", true),
        Case(">= 1.2 < 3.0.0 || >= 4.2.3", "3.0.0", false), Case(">= 1.2 < 3.0.0 || >= 4.2.3", "4.2.2", false),
        Case(">= 1.2 < 3.0.0 || >= 4.2.3", "4.2.3", true), Case(">=1.1, <2", "1.5.0", true),
        Case(">=1.1, <2", "2.0.0", false), Case(">=1.1,<2", "1.0.0", false), Case(">= 1.2 ,< 2", "1.9.0", true),
        Case("1.0.0 || 2.0.0", "2.0.0", true), Case("1.0.0 || 2.0.0", "1.5.0", false),
        // a pre-release term admits pre-releases for its whole AND group only
        Case(">=1.0.0-0 <2.0.0", "1.5.0-beta", true), Case(">=1.0.0-0 <2.0.0", "2.0.0-rc.1", true),
        Case(">=1.0.0-0 <2.0.0", "2.0.0", false), Case(">=1.0.0-0 || <3.0.0", "2.5.0-beta", true),
        Case("<3.0.0 || >=4.0.0", "2.5.0-beta", false),
        // hyphen ranges
        Case("1.2 - 1.4.5", "1.2.0", true), Case("1.2 - 1.4.5", "1.4.5", true), Case("1.2 - 1.4.5", "1.4.6", false),
        Case("1.2 - 1.4.5", "1.1.9", false), Case("2 - 3", "3.9.9", true), Case("2 - 3", "4.0.0", false),
        Case("2 - 3", "1.9.0", false), Case("1 - 2 || 4 - 5", "5.5.0", true), Case("1 - 2 || 4 - 5", "3.0.0", false),
    ]

    @Test(arguments: cases)
    func checksVersions(_ c: Case) throws {
        let constraint = try VersionConstraint(parsing: c.constraint)
        let version = try SemanticVersion(parsing: c.version)
        #expect(constraint.isSatisfied(by: version) == c.satisfied)
    }

    @Test(arguments: [
        "", " ", "foo", "1.2.3.4", ">>1", ">1<2", "1.2.3 ||", "|| 1.2", ">= 1.2,", "1.2.3-", "1.2.3-01",
        "1x", "1.2.3 -", "~ >1.2", "1.2.3 latest", "!1.2", "1|2", "1.2 - ", ">= 1.2 <",
    ])
    func rejectsInvalidConstraints(_ text: String) {
        #expect(throws: VersionConstraintError.self) { try VersionConstraint(parsing: text) }
    }

    @Test func errorNamesConstraintAndPart() {
        #expect(throws: VersionConstraintError.improper(constraint: ">= 1.2 || foo", part: " foo")) {
            try VersionConstraint(parsing: ">= 1.2 || foo")
        }
        let error = VersionConstraintError.improper(constraint: ">= 1.2 || foo", part: " foo")
        #expect(error.description == "invalid semver constraint '>= 1.2 || foo': cannot read 'foo'")
    }

    @Test func hyphenRangesAreRewrittenAsUpstream() {
        #expect(ConstraintParser.rewriteRanges("1.2 - 1.4.5") == ">= 1.2, <= 1.4.5 ")
        #expect(ConstraintParser.rewriteRanges("1 - 2 || 4 - 5") == ">= 1, <= 2 ||>= 4, <= 5 ")
        #expect(ConstraintParser.rewriteRanges("1.2-1.4") == "1.2-1.4")
    }
}
