@testable import OCIModel
import Testing

@Suite struct ImageReferenceTests {
    static let digestText = "sha256:" + String(repeating: "ab", count: 32)

    struct Case: Sendable, CustomStringConvertible {
        var input: String
        var registry: String
        var repository: String
        var tag: String?
        var digest: String?
        var description: String { input }
    }

    static let valid: [Case] = [
        Case(input: "alpine", registry: "registry-1.docker.io", repository: "library/alpine"),
        Case(input: "alpine:3.19", registry: "registry-1.docker.io", repository: "library/alpine", tag: "3.19"),
        Case(input: "docker.io/alpine", registry: "registry-1.docker.io", repository: "library/alpine"),
        Case(input: "index.docker.io/library/alpine", registry: "registry-1.docker.io", repository: "library/alpine"),
        Case(input: "concourse/registry-image-resource:1.0",
             registry: "registry-1.docker.io", repository: "concourse/registry-image-resource", tag: "1.0"),
        Case(input: "docker.io/concourse/x", registry: "registry-1.docker.io", repository: "concourse/x"),
        Case(input: "127.0.0.1:5000/a/b/c:v1", registry: "127.0.0.1:5000", repository: "a/b/c", tag: "v1"),
        Case(input: "localhost/foo", registry: "localhost", repository: "foo"),
        Case(input: "localhost:5000/foo", registry: "localhost:5000", repository: "foo"),
        Case(input: "ghcr.io/o/r@\(digestText)", registry: "ghcr.io", repository: "o/r", digest: digestText),
        Case(input: "quay.io/o/r:tag@\(digestText)", registry: "quay.io", repository: "o/r", tag: "tag", digest: digestText),
        Case(input: "[::1]:5000/x:Tag_1", registry: "[::1]:5000", repository: "x", tag: "Tag_1"),
        Case(input: "Example.com/x", registry: "Example.com", repository: "x"),
        Case(input: "my.registry/a__b/c-d--e/f.g_h", registry: "my.registry", repository: "a__b/c-d--e/f.g_h"),
    ]

    @Test(arguments: valid)
    func parsesAndNormalises(_ example: Case) throws {
        let reference = try ImageReference(parsing: example.input)
        #expect(reference.registry == example.registry)
        #expect(reference.repository == example.repository)
        #expect(reference.tag == example.tag)
        #expect(reference.digest?.description == example.digest)
    }

    static let invalid = [
        "", "Alpine", "alpine:", "alpine:-x", "alpine:.x", "alpine@sha256:abc", "alpine@md5:" + String(repeating: "a", count: 32),
        "a//b", "/alpine", "alpine/", "foo_/bar", "foo___bar", "foo..bar", "host:99999/x", "host:/x", "-host.io/x",
        "alpine:" + String(repeating: "t", count: 129), "example.com/" + String(repeating: "a", count: 250), "a b",
    ]

    @Test(arguments: invalid)
    func rejects(_ input: String) {
        #expect(throws: OCIModelError.self) { try ImageReference(parsing: input) }
    }

    @Test func errorNamesTheInput() {
        do {
            _ = try ImageReference(parsing: "Bad/Name")
            Issue.record("accepted an uppercase repository")
        } catch {
            #expect(error.description.contains("'Bad/Name'"))
        }
    }

    @Test func dockerHubAndDescription() throws {
        let hub = try ImageReference(parsing: "busybox:1")
        #expect(hub.isDockerHub)
        #expect(hub.description == "registry-1.docker.io/library/busybox:1")
        let local = try ImageReference(parsing: "127.0.0.1:5000/x@\(Self.digestText)")
        #expect(!local.isDockerHub)
        #expect(local.digest?.description == Self.digestText)
        #expect(try ImageReference(parsing: "x:t").tag == "t")
    }
}
