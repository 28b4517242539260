import Foundation
import TestSupport
import Testing

/// The human commands through the built executable (`swift build` builds it).
@Suite("registry-image push / pull / tags CLI")
struct PushCLITests {
    @Test func pushPullAndTagsWithCredentialsFromTheEnvironment() throws {
        #expect(FileManager.default.isExecutableFile(atPath: ResourceRunner.executable.path))
        let registry = try TestRegistry(.basicAuth)
        let layout = try buildFixture(PushHarness.image)
        let ca = try #require(registry.caCertificatePath).path
        let environment = ["REGISTRY_USERNAME": try #require(registry.username),
                           "REGISTRY_PASSWORD": try #require(registry.password)]

        let push = try ResourceRunner.run(["push", layout.url.path, "\(registry.url)/cli/app:one", "--tag", "two", "--ca-cert", ca],
                                environment: environment)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines) == layout.image.manifestDigest)
        #expect(push.stderr.contains("pushing"))

        let tags = try ResourceRunner.run(["tags", "\(registry.url)/cli/app", "--ca-cert", ca], environment: environment)
        #expect(tags.status == 0, "\(tags.stderr)")
        #expect(Set(tags.stdoutString.split(separator: "\n").map(String.init)) == ["one", "two"])

        let work = try TemporaryDirectory()
        let pull = try ResourceRunner.run(["pull", "\(registry.url)/cli/app:two", work.appending("p").path, "--format", "oci-layout",
                                 "--platform", "linux/amd64", "--ca-cert", ca], environment: environment)
        #expect(pull.status == 0, "\(pull.stderr)")
        let single = try String(contentsOf: work.appending("p/oci/single-image-digest"), encoding: .utf8)
        #expect(single.trimmingCharacters(in: .whitespacesAndNewlines) == layout.image.manifestDigest)

        let anonymous = try ResourceRunner.run(["push", layout.url.path, "\(registry.url)/cli/app:three", "--ca-cert", ca])
        #expect(anonymous.status != 0)
        #expect(anonymous.stderr.contains("unauthorized"))
    }

    @Test(arguments: ["push", "pull", "tags"])
    func helpDescribesTheCommand(_ command: String) throws {
        let help = try ResourceRunner.run([command, "--help"])
        #expect(help.status == 0)
        #expect(help.stdoutString.contains("USAGE"))
        #expect(help.stdoutString.contains("--username"))
    }
}
