import Foundation
import Testing
import TestSupport

/// check, in and out through the executable with one cloud credential
/// source: check must report `digest`, in must fetch it (its rootfs holding
/// `file` with `content`), out must push a new image to `pushRepository`,
/// which skopeo then reads back from `registry` with the same digest.
/// Returns every stderr, for secret checks.
struct CloudRoundTrip {
    let registry: TestRegistry
    let digest: String
    let file: String
    let content: String

    @discardableResult
    func run(source: [String: Any], environment: [String: String], pushRepository: String,
             pushedName: String) throws -> [String] {
        var stderrs: [String] = []
        let check = try ResourceRunner.run(["check"], request: ["source": source], environment: environment)
        stderrs.append(check.stderr)
        #expect(check.status == 0, "check: \(check.stderr)")
        let versions = (try? JSONSerialization.jsonObject(with: check.stdout)) as? [[String: Any]] ?? []
        #expect(versions.compactMap { $0["digest"] as? String } == [digest], "check: \(check.stdoutString)")

        let destination = try TemporaryDirectory(prefix: "cloud-in")
        var inRequest = ResourceRunner.inRequest(repository: source["repository"] as? String ?? "", digest: digest,
                                                 source: source)
        inRequest["params"] = ["format": "rootfs"]
        let fetched = try ResourceRunner.run(["in", destination.path], request: inRequest, environment: environment)
        stderrs.append(fetched.stderr)
        #expect(fetched.status == 0, "in: \(fetched.stderr)")
        #expect((try? String(contentsOf: destination.appending("rootfs/\(file)"), encoding: .utf8)) == content)

        let layout = try buildFixture(ImageSpec(tag: "latest", layers: [LayerSpec([.file("pushed", "\(pushedName)\n")])]))
        let work = try TemporaryDirectory(prefix: "cloud-out")
        try FileManager.default.copyItem(at: layout.url, to: work.appending("image"))
        var pushSource = source
        pushSource["repository"] = pushRepository
        pushSource["tag"] = "pushed"
        let pushed = try ResourceRunner.run(["out", work.path], request: ["source": pushSource, "params": ["image": "image"]],
                                            environment: environment)
        stderrs.append(pushed.stderr)
        #expect(pushed.status == 0, "out: \(pushed.stderr)")
        let response = (try? ResourceRunner.response(pushed)) ?? [:]
        let pushedDigest = (response["version"] as? [String: String])?["digest"]
        // The registry's own path: without a host component (`us-docker.pkg.dev/…`).
        let components = pushRepository.split(separator: "/", maxSplits: 1).map(String.init)
        let path = components.count == 2 && (components[0].contains(".") || components[0].contains(":"))
            ? components[1] : pushRepository
        let raw = try skopeoInspect(registry, repository: path, reference: "pushed", raw: true)
        #expect(try ExternalDigest.sha256(raw) == pushedDigest, "what the registry holds is what out reported")
        return stderrs
    }
}
