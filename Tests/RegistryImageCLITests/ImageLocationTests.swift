import Testing
@testable import RegistryImageCLI
import OCIModel

@Suite struct ImageLocationTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var expected: ImageLocation
        var description: String { text }
    }

    static let parsed: [Case] = [
        Case(text: "docker://alpine", expected: .registry(ImageReference(registry: "registry-1.docker.io", repository: "library/alpine"))),
        Case(text: "docker://127.0.0.1:5000/a/b:v1",
             expected: .registry(ImageReference(registry: "127.0.0.1:5000", repository: "a/b", tag: "v1"))),
        Case(text: "oci:./layout", expected: .ociLayout(path: "./layout", reference: nil)),
        Case(text: "oci:/tmp/l:v1.2", expected: .ociLayout(path: "/tmp/l", reference: "v1.2")),
        // The path ends at the first colon, as containers/image reads it.
        Case(text: "oci:/tmp/l:sha256:abc", expected: .ociLayout(path: "/tmp/l", reference: "sha256:abc")),
        Case(text: "oci-archive:img.tar:latest", expected: .ociArchive(path: "img.tar", reference: "latest")),
        Case(text: "docker-archive:img.tar", expected: .dockerArchive(path: "img.tar", reference: nil)),
        Case(text: "docker-archive:img.tar:team/app:v1", expected: .dockerArchive(path: "img.tar", reference: "team/app:v1")),
        Case(text: "dir:/cache/img", expected: .blobDirectory(path: "/cache/img")),
        Case(text: "rootfs:/tmp/r", expected: .rootfs(path: "/tmp/r")),
        // No transport: the command decides (a path, or a registry name).
        Case(text: "localhost:5000/app:1", expected: .unqualified("localhost:5000/app:1")),
        Case(text: "./image.tar", expected: .unqualified("./image.tar")),
        Case(text: "alpine", expected: .unqualified("alpine")),
    ]

    @Test(arguments: parsed)
    func parses(_ item: Case) throws {
        #expect(try ImageLocation(parsing: item.text) == item.expected)
    }

    @Test func transportsAndPaths() throws {
        #expect(try ImageLocation(parsing: "oci:/l:v1").transport == .oci)
        #expect(try ImageLocation(parsing: "dir:/d").path == "/d")
        #expect(try ImageLocation(parsing: "docker://alpine").path == nil)
        #expect(try ImageLocation(parsing: "a.tar").transport == nil)
        #expect(try ImageLocation(parsing: "docker-archive:f.tar:a/b:c").description == "docker-archive:f.tar:a/b:c")
        #expect(try ImageLocation(parsing: "docker://alpine:3").description == "docker://registry-1.docker.io/library/alpine:3")
    }

    @Test(arguments: [
        ("", ImageLocationError.empty),
        ("docker:alpine", .invalid("docker:alpine", reason: "docker: needs //, as docker://host/repo:tag")),
        ("oci:", .invalid("oci:", reason: "no path")),
        ("oci::v1", .invalid("oci::v1", reason: "no path")),
        ("dir:", .invalid("dir:", reason: "no directory")),
        ("docker-daemon:alpine:3", .unsupportedTransport("docker-daemon")),
        ("containers-storage:x", .unsupportedTransport("containers-storage")),
    ])
    func rejects(_ text: String, _ error: ImageLocationError) {
        #expect(throws: error) { try ImageLocation(parsing: text) }
    }

    @Test func rejectsBadReferencesInsideATransport() {
        #expect(throws: ImageLocationError.self) { try ImageLocation(parsing: "docker://UPPER/Case") }
        #expect(throws: ImageLocationError.self) { try ImageLocation(parsing: "docker-archive:f.tar:app@sha256:" + String(repeating: "a", count: 64)) }
        #expect(throws: ImageLocationError.self) { try ImageLocation(parsing: "docker-archive:f.tar:@0") }
        #expect(throws: ImageLocationError.self) { try ImageLocation(parsing: "oci:/l:a/b") }
    }
}
