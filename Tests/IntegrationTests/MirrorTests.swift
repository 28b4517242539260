import Foundation
import TestSupport
import Testing

/// `source.registry_mirror` for `check` and `in`, through the executable.
/// Docker Hub cannot be reached here, so a local registry stands in for it via
/// `RI_DOCKER_HUB_REGISTRY_FOR_TESTS` (behind a counting proxy, so a test can
/// tell the origin was never asked); the mirror is another local registry
/// serving `library/busybox` and friends.
@Suite("Registry mirror for check and in")
struct MirrorTests {
    /// A mirror and a stand-in Docker Hub with different images under the same names.
    struct World {
        let mirror: TestRegistry
        let origin: TestRegistry
        let originProxy: FaultProxy
        let onMirror: CheckRepositoryFixture
        let onOrigin: CheckRepositoryFixture
        var environment: [String: String] { ["RI_DOCKER_HUB_REGISTRY_FOR_TESTS": originProxy.url] }

        init(mirrorOptions: TestRegistryOptions = .plain) throws {
            mirror = try TestRegistry(mirrorOptions)
            origin = try TestRegistry(.plain)
            originProxy = try FaultProxy(upstream: origin)
            onMirror = try CheckRepositoryFixture(
                registry: mirror, repository: "library/busybox", tags: ["1.0.0": "m1", "1.1.0": "m2", "latest": "m2"])
            onOrigin = try CheckRepositoryFixture(
                registry: origin, repository: "library/busybox",
                tags: ["1.0.0": "o1", "1.2.0": "o2", "latest": "o2", "origin-only": "o3"])
        }

        func source(_ repository: String = "busybox", username: String? = nil, password: String? = nil) -> SourceJSON {
            var source = SourceJSON(repository: repository)
            source.registryMirror = .init(host: mirror.url, username: username, password: password)
            return source
        }
    }

    @Test(arguments: ["busybox", "library/busybox", "docker.io/busybox", "docker.io/library/busybox"])
    func checkAsksTheMirrorFirst(_ repository: String) throws {
        let world = try World()
        let versions = try ResourceRunner.check(world.source(repository), environment: world.environment)
        #expect(versions == [VersionJSON(tag: "1.0.0", digest: world.onMirror.digest("m1")),
                             VersionJSON(tag: "1.1.0", digest: world.onMirror.digest("m2"))])
        #expect(try world.originProxy.stats().total == 0, "the origin is not asked when the mirror answers")
    }

    @Test func mirrorWithoutTheTagOrRepositoryFallsBackToTheOrigin() throws {
        let world = try World()
        var tagSource = world.source()
        tagSource.tag = "origin-only"
        #expect(try ResourceRunner.check(tagSource, environment: world.environment)
            == [VersionJSON(tag: "origin-only", digest: world.onOrigin.digest("o3"))])

        let elsewhere = try CheckRepositoryFixture(registry: world.origin, repository: "someone/tool", tags: ["2.0.0": "o9"])
        #expect(try ResourceRunner.check(world.source("docker.io/someone/tool"), environment: world.environment)
            == [VersionJSON(tag: "2.0.0", digest: elsewhere.digest("o9"))])
        #expect(try world.originProxy.stats().total > 0)
    }

    @Test func mirrorUsesItsOwnCredentialsAndFallsBackWhenRefused() throws {
        let world = try World(mirrorOptions: TestRegistryOptions(tls: false, auth: .basic))
        let user = try #require(world.mirror.username)
        let password = try #require(world.mirror.password)
        var source = world.source(username: user, password: password)
        // Source credentials belong to the origin and must not matter to the mirror.
        source.username = "origin-user"
        source.password = "origin-password"
        #expect(try ResourceRunner.check(source, environment: world.environment).map(\.digest)
            == [world.onMirror.digest("m1"), world.onMirror.digest("m2")])
        #expect(try world.originProxy.stats().total == 0)

        let refused = world.source(username: user, password: "wrong")
        let result = try ResourceRunner.run(["check"], stdin: try requestJSON(source: refused), environment: world.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let versions = try JSONDecoder().decode([VersionJSON].self, from: result.stdout)
        #expect(versions.map(\.digest) == [world.onOrigin.digest("o1"), world.onOrigin.digest("o2")])
        #expect(result.stderr.contains("mirror \(world.mirror.url)"), "the fallback is logged: \(result.stderr)")
    }

    @Test func otherRegistriesIgnoreTheMirror() throws {
        let world = try World()
        let mirrorProxy = try FaultProxy(upstream: world.mirror)
        var source = SourceJSON(repository: "\(world.origin.url)/library/busybox")
        source.registryMirror = .init(host: mirrorProxy.url)
        #expect(try ResourceRunner.check(source, environment: world.environment).map(\.digest)
            == [world.onOrigin.digest("o1"), world.onOrigin.digest("o2")])
        #expect(try mirrorProxy.stats().total == 0, "a non-Docker-Hub repository never asks the mirror")
    }

    @Test func unreachableOriginAfterMirrorMissIsAClearError() throws {
        let world = try World()
        var source = world.source()
        source.tag = "origin-only"
        let result = try ResourceRunner.run(
            ["check"], stdin: try requestJSON(source: source),
            environment: ["RI_DOCKER_HUB_REGISTRY_FOR_TESTS": "127.0.0.1:1"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let errorLine = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(errorLine.hasPrefix("error:") && errorLine.contains("127.0.0.1:1"), "\(result.stderr)")
    }

    @Test func fetchThroughTheMirrorNamesTheOriginalRepository() throws {
        let world = try World()
        let version = VersionJSON(tag: "1.0.0", digest: world.onMirror.digest("m1"))
        let fetched = try fetch(version, in: world)
        #expect(try world.originProxy.stats().total == 0)
        try expectFetched(fetched.destination, label: "m1", version: version, stdout: fetched.stdout)
    }

    @Test func fetchFallsBackToTheOriginWhenTheMirrorLacksTheDigest() throws {
        let world = try World()
        let version = VersionJSON(tag: "origin-only", digest: world.onOrigin.digest("o3"))
        let fetched = try fetch(version, in: world)
        #expect(try world.originProxy.stats().total > 0)
        try expectFetched(fetched.destination, label: "o3", version: version, stdout: fetched.stdout)
    }

    /// Runs `in` for `version` of `busybox` (mirror configured) into a fresh directory; expects success.
    private func fetch(_ version: VersionJSON, in world: World, sourceLocation: SourceLocation = #_sourceLocation)
        throws -> (destination: TemporaryDirectory, stdout: Data)
    {
        let destination = try TemporaryDirectory(prefix: "mirror-in")
        let result = try ResourceRunner.run(
            ["in", destination.path], stdin: try requestJSON(source: world.source(), version: version),
            environment: world.environment)
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
        return (destination, result.stdout)
    }

    private func expectFetched(_ destination: TemporaryDirectory, label: String, version: VersionJSON, stdout: Data) throws {
        func read(_ name: String) throws -> String { try String(contentsOf: destination.appending(name), encoding: .utf8) }
        #expect(try read("repository") == "busybox")
        #expect(try read("digest") == version.digest)
        #expect(try read("tag") == version.tag)
        #expect(try read("rootfs/label") == label + "\n")
        struct Response: Decodable {
            struct Field: Decodable { let name: String; let value: String }
            let version: VersionJSON
            let metadata: [Field]
        }
        let response = try JSONDecoder().decode(Response.self, from: stdout)
        #expect(response.version == version)
        #expect(response.metadata.first { $0.name == "repository" }?.value == "busybox")
    }
}
