import Foundation
@testable import ResourceCore
import Testing

/// Upstream check_test.go "tracking a single tag" cases, against the in-memory registry.
@Suite("Check: single tag")
struct CheckTagTests {
    let registry = CheckFakeRegistry(tags: ["latest": "sha256:latest"], extraDigests: ["sha256:older"])
    let planner = CheckPlanner(source: CheckSource(tag: "latest"))

    @Test func noCursorReturnsCurrentDigest() throws {
        #expect(try planner.versions(cursor: nil, registry: registry) == [ResourceVersion(tag: "latest", digest: "sha256:latest")])
        #expect(registry.existenceLookups.isEmpty)
    }

    @Test func upToDateCursorReturnsItOnce() throws {
        let cursor = ResourceVersion(tag: "latest", digest: "sha256:latest")
        #expect(try planner.versions(cursor: cursor, registry: registry) == [cursor])
        #expect(registry.existenceLookups.isEmpty)
    }

    @Test func cursorWithoutTagGetsTheTag() throws {
        let cursor = ResourceVersion(tag: "", digest: "sha256:latest")
        #expect(try planner.versions(cursor: cursor, registry: registry) == [ResourceVersion(tag: "latest", digest: "sha256:latest")])
    }

    @Test func outOfDateCursorThatStillExistsComesFirst() throws {
        let cursor = ResourceVersion(tag: "latest", digest: "sha256:older")
        #expect(try planner.versions(cursor: cursor, registry: registry) == [
            ResourceVersion(tag: "latest", digest: "sha256:older"), ResourceVersion(tag: "latest", digest: "sha256:latest"),
        ])
        #expect(registry.existenceLookups == ["sha256:older"])
    }

    @Test func cursorIsReportedUnderTheSourceTag() throws {
        let cursor = ResourceVersion(tag: "something-else", digest: "sha256:older")
        #expect(try planner.versions(cursor: cursor, registry: registry).first == ResourceVersion(tag: "latest", digest: "sha256:older"))
    }

    @Test func vanishedCursorIsDropped() throws {
        let cursor = ResourceVersion(tag: "latest", digest: "sha256:deadbeef")
        #expect(try planner.versions(cursor: cursor, registry: registry) == [ResourceVersion(tag: "latest", digest: "sha256:latest")])
    }

    @Test func missingTagGivesNothing() throws {
        let planner = CheckPlanner(source: CheckSource(tag: "not-exist-image"))
        #expect(try planner.versions(cursor: nil, registry: registry).isEmpty)
        #expect(try planner.versions(cursor: ResourceVersion(tag: "not-exist-image", digest: "sha256:older"), registry: registry).isEmpty)
        #expect(registry.existenceLookups.isEmpty)
    }

    @Test func tagWinsOverRegexAndConstraintIsIgnored() throws {
        let planner = CheckPlanner(source: CheckSource(tag: "latest", tagRegex: "(", semverConstraint: "not a constraint"))
        #expect(try planner.versions(cursor: nil, registry: registry) == [ResourceVersion(tag: "latest", digest: "sha256:latest")])
    }

    @Test func versionJSONIsTagAndDigest() throws {
        let data = try JSONEncoder().encode(ResourceVersion(tag: "1.0", digest: "sha256:x"))
        #expect(String(decoding: data, as: UTF8.self).contains("\"tag\":\"1.0\""))
    }
}
