@testable import OCIModel
@testable import ResourceCore
import Testing

/// Upstream out_test.go "pushing semver tags" table plus the other tag rules of `out`.
@Suite("Tagging: out tag plan")
struct TaggingTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        var existing: [String] = []
        var variant: String?
        var version: String?
        var bumpAliases = false
        var pushed: [String] = []
        var error: TagPlanError?
        var testDescription: String { name }
    }

    static let upstreamTable: [Example] = [
        Example(name: "semver tag with no variant", version: "1.2.3", pushed: ["1.2.3"]),
        Example(name: "semver tag with variant", variant: "ubuntu", version: "1.2.3", pushed: ["1.2.3-ubuntu"]),
        Example(name: "non-semver tag", version: "hoogily-boogily", error: .invalidVersion("hoogily-boogily")),
        Example(name: "no version provided", version: "", error: .noTag),
        Example(name: "bumping aliases with no existing tags", version: "1.2.3", bumpAliases: true,
                pushed: ["1.2.3", "latest", "1", "1.2"]),
        Example(name: "not bumping aliases if a prerelease is given", version: "1.2.3-alpha.1", bumpAliases: true,
                pushed: ["1.2.3-alpha.1"]),
        Example(name: "bumping aliases if only older versions exist", existing: ["1.2.2"], version: "1.2.3",
                bumpAliases: true, pushed: ["1.2.3", "latest", "1", "1.2"]),
        Example(name: "not bumping anything if a newer patch already exists", existing: ["1.2.4"], version: "1.2.3",
                bumpAliases: true, pushed: ["1.2.3"]),
        Example(name: "not bumping major if a newer minor already exists", existing: ["1.3.0"], version: "1.2.3",
                bumpAliases: true, pushed: ["1.2.3", "1.2"]),
        Example(name: "bumping minor and major, but not latest, if a newer major version exists", existing: ["2.0.0"],
                version: "1.2.3", bumpAliases: true, pushed: ["1.2.3", "1", "1.2"]),
        Example(name: "bumping everything even if a newer non-variant minor exists", existing: ["1.3.0"],
                variant: "lts", version: "1.2.3", bumpAliases: true, pushed: ["1.2.3-lts", "lts", "1-lts", "1.2-lts"]),
        Example(name: "bumping everything if the only available version is a prerelease", existing: ["2.0.0-rc.1"],
                version: "1.2.3", bumpAliases: true, pushed: ["1.2.3", "latest", "1", "1.2"]),
        Example(name: "bumping everything if the only available version is a different variant",
                existing: ["2.0.0-goodbye"], variant: "hello", version: "1.2.3", bumpAliases: true,
                pushed: ["1.2.3-hello", "hello", "1-hello", "1.2-hello"]),
        Example(name: "bumping variant aliases with no existing tags", variant: "hello", version: "1.2.3",
                bumpAliases: true, pushed: ["1.2.3-hello", "hello", "1-hello", "1.2-hello"]),
        Example(name: "bumping minor and major, but not latest, if a newer major version exists with the same variant",
                existing: ["2.0.0-hello"], variant: "hello", version: "1.2.3", bumpAliases: true,
                pushed: ["1.2.3-hello", "1-hello", "1.2-hello"]),
        Example(name: "bumping aliases if only older versions exist of the same variant", existing: ["1.2.2-hello"],
                variant: "hello", version: "1.2.3", bumpAliases: true, pushed: ["1.2.3-hello", "hello", "1-hello", "1.2-hello"]),
        Example(name: "not bumping anything if a newer patch already exists of the same variant",
                existing: ["1.2.4-hello"], variant: "hello", version: "1.2.3", bumpAliases: true, pushed: ["1.2.3-hello"]),
        Example(name: "not bumping major if a newer minor already exists of the same variant", existing: ["1.3.0-hello"],
                variant: "hello", version: "1.2.3", bumpAliases: true, pushed: ["1.2.3-hello", "1.2-hello"]),
    ]

    static let ownTable: [Example] = [
        Example(name: "leading v dropped and missing parts filled", version: "v1.2", pushed: ["1.2.0"]),
        Example(name: "pre-release kept in the version tag", version: "2.0.0-rc.1", pushed: ["2.0.0-rc.1"]),
        Example(name: "existing partial tags count as versions", existing: ["1.3", "latest", "1", "1.2"],
                version: "1.2.3", bumpAliases: true, pushed: ["1.2.3", "1.2"]),
        Example(name: "an equal existing version does not block", existing: ["1.2.3", "v1.2.3"], version: "1.2.3",
                bumpAliases: true, pushed: ["1.2.3", "latest", "1", "1.2"]),
        Example(name: "newer minor of another major does not block major", existing: ["0.9.0", "2.5.0"],
                version: "1.2.3", bumpAliases: true, pushed: ["1.2.3", "1", "1.2"]),
        Example(name: "build metadata cannot be a tag", version: "1.2.3+build.1", error: .invalidTag("1.2.3+build.1")),
    ]

    @Test(arguments: upstreamTable + ownTable)
    func plansTags(_ example: Example) throws {
        let planner = TagPlanner(request: OutTagRequest(variant: example.variant, version: example.version,
                                                        bumpAliases: example.bumpAliases))
        if let expectedError = example.error {
            #expect(throws: expectedError) { try planner.tags(existingTags: { example.existing }) }
        } else {
            #expect(try planner.tags(existingTags: { example.existing }) == example.pushed)
        }
    }

    @Test func sourceTagComesFirstThenVersionAliasesAndAdditionalTags() throws {
        let planner = TagPlanner(request: OutTagRequest(
            sourceTag: "edge", version: "3.1.0", bumpAliases: true,
            additionalTags: "  extra-1\nextra-2\t\textra-3 \n", tagPrefix: "ci-"))
        #expect(try planner.tags(existingTags: { [] }) ==
            ["edge", "3.1.0", "latest", "3", "3.1", "ci-extra-1", "ci-extra-2", "ci-extra-3"])
    }

    @Test func repeatedTagsArePushedOnce() throws {
        let planner = TagPlanner(request: OutTagRequest(sourceTag: "latest", version: "1.0.0", bumpAliases: true,
                                                        additionalTags: "1.0.0 latest other"))
        #expect(try planner.tags(existingTags: { [] }) == ["latest", "1.0.0", "1", "1.0", "other"])
    }

    @Test func additionalTagsAloneAreEnough() throws {
        let planner = TagPlanner(request: OutTagRequest(additionalTags: "a b"))
        #expect(try planner.tags(existingTags: { Issue.record("not needed"); return [] }) == ["a", "b"])
    }

    @Test func emptyAdditionalTagsFileAndNoTagIsAnError() {
        let planner = TagPlanner(request: OutTagRequest(sourceTag: "", additionalTags: " \n "))
        #expect(throws: TagPlanError.noTag) { try planner.tags(existingTags: { [] }) }
        #expect(TagPlanError.noTag.description == "no tag specified - need either 'version:' in params or 'tag:' in source")
    }

    @Test func registryTagsAreOnlyAskedForWhenAliasesAreBumped() throws {
        var asked = 0
        for request in [OutTagRequest(version: "1.0.0"), OutTagRequest(version: "1.0.0-rc.1", bumpAliases: true),
                        OutTagRequest(sourceTag: "x", bumpAliases: true)] {
            let planner = TagPlanner(request: request)
            _ = try planner.tags(existingTags: { asked += 1; return [] })
        }
        #expect(asked == 0)
        let bumping = TagPlanner(request: OutTagRequest(version: "1.0.0", bumpAliases: true))
        _ = try bumping.tags(existingTags: { asked += 1; return [] })
        #expect(asked == 1)
    }

    @Test(arguments: ["bad/tag", "a:b", String(repeating: "a", count: 129), "tag@x", "ünï"])
    func invalidTagsAreRejected(_ tag: String) {
        let planner = TagPlanner(request: OutTagRequest(additionalTags: tag))
        #expect(throws: TagPlanError.invalidTag(tag)) { try planner.tags(existingTags: { [] }) }
    }

    @Test func validTagCharacters() {
        #expect(ImageReference.isValidTag("A_b.c-1"))
        #expect(ImageReference.isValidTag(String(repeating: "a", count: 128)))
        #expect(!ImageReference.isValidTag(""))
    }

    @Test func invalidVersionMessageQuotesIt() {
        #expect(TagPlanError.invalidVersion("hoogily-boogily").description == #"invalid semantic version: "hoogily-boogily""#)
    }
}
