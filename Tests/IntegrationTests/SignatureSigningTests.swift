import Foundation
import TestSupport
import Testing

/// `put` with `params.sign`, and `registry-image sign` / `verify`, through
/// the executable against docker-registry. What is signed is checked by
/// Python's `cryptography` (cosign_attach.py check-*), not by our verifier.
@Suite("signatures: signing with put and the sign/verify commands")
struct SignatureSigningTests {
    static func layoutWork() throws -> TemporaryDirectory {
        let layout = try buildFixture(ImageSpec(layers: [LayerSpec([.file("hello", "signed\n")], compression: .none)]))
        let work = try PushHarness.workDirectory(holding: layout)
        try Data("latest extra\n".utf8).write(to: work.appending("tags"))
        return work
    }

    static func put(_ registry: TestRegistry, _ repository: String, sign: [String: Any], work: TemporaryDirectory,
                    extra: [String: Any] = [:]) throws -> CommandResult {
        var params: [String: Any] = ["image": "layout", "sign": sign]
        params.merge(extra) { $1 }
        return try ResourceRunner.run(["out", work.url.path], request: [
            "source": ["repository": "\(registry.url)/\(repository)", "tag": "1.0"], "params": params,
        ])
    }

    @Test(arguments: ["tag", "bundle"])
    func putSignsThePushedDigest(format: String) throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/put-\(format)"
        let work = try Self.layoutWork()
        let result = try Self.put(registry, repository, sign: [
            "private_key": try String(contentsOf: keys.privateKey("p256"), encoding: .utf8), "format": format,
        ], work: work, extra: ["additional_tags": "tags"])
        #expect(result.status == 0, "\(result.stderr)")
        let response = try ResourceRunner.response(result)
        let digest = try #require((response["version"] as? [String: String])?["digest"])
        #expect(try CosignAttach.verifies(registry, repository, digest, publicKey: keys.publicKey("p256"), bundle: format == "bundle"))
        #expect(!(try CosignAttach.verifies(registry, repository, digest, publicKey: keys.publicKey("ed25519"), bundle: format == "bundle")))
        #expect(!result.stderr.contains("PRIVATE KEY"))
        // One signature serves every tag: they all name the signed digest.
        for tag in ["1.0", "latest", "extra"] {
            let head = try ExternalCommand.check("curl", [
                "-sSfI", "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                "\(registry.baseURL.absoluteString)/v2/\(repository)/manifests/\(tag)"])
            #expect(String(decoding: head, as: UTF8.self).lowercased().contains("docker-content-digest: \(digest)"), "\(tag)")
        }

        // What get then accepts, naming the key.
        let source = SignedResource.source(registry, repository, keys: [try keys.publicPEM("p256")])
        let (fetched, _, _) = try SignedResource.get(source, digest: digest, params: ["skip_download": true])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let fingerprint = try keys.fingerprint("p256")
        #expect(try SignedResource.metadata(fetched, "signed_by") == fingerprint)
    }

    @Test func encryptedKeysAndAWrongPassword() throws {
        let registry = try TestRegistry.shared()
        let directory = try TemporaryDirectory(prefix: "cosign-key")
        let password = "correct-horse-battery"
        try ExternalCommand.cryptographyPython("signatures/keys.py", ["generate", "p256", directory.url.path, "--password", password, "--cosign"])
        let privatePEM = try String(contentsOf: directory.appending("key.pem"), encoding: .utf8)
        let repository = "sig/put-cosign-key"
        let work = try Self.layoutWork()

        let refused = try Self.put(registry, repository, sign: ["private_key": privatePEM, "password": "not-it"], work: work)
        #expect(refused.status != 0)
        let lines = refused.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error:") == true && lines.first?.contains("password") == true,
                "\(refused.stderr)")
        #expect(!refused.stderr.contains("not-it") && !refused.stderr.contains(password) && !refused.stderr.contains("PRIVATE KEY"))
        let tags = try ExternalCommand.run("curl", ["-sS", "\(registry.baseURL.absoluteString)/v2/\(repository)/tags/list"])
        #expect(!tags.stdoutString.contains("1.0"), "nothing is pushed when the key cannot be read")

        let signed = try Self.put(registry, repository, sign: ["private_key": privatePEM, "password": password], work: work)
        #expect(signed.status == 0, "\(signed.stderr)")
        let digest = try #require((try ResourceRunner.response(signed)["version"] as? [String: String])?["digest"])
        #expect(try CosignAttach.verifies(registry, repository, digest, publicKey: directory.appending("key.pub"), bundle: false))
    }

    @Test func signAndVerifyByHand() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/cli"
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository, tags: ["1.0": "a", "2.0": "b"])
        let image = "\(registry.url)/\(repository)"

        let signed = try ResourceRunner.run(["sign", "\(image):1.0", "--key", keys.privateKey("rsa2048").path])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdoutString.contains(fixture.digest("a")))
        #expect(try CosignAttach.verifies(registry, repository, fixture.digest("a"), publicKey: keys.publicKey("rsa2048"), bundle: false))

        let verified = try ResourceRunner.run(["verify", "\(image):1.0", "--key", keys.publicKey("rsa2048").path])
        #expect(verified.status == 0, "\(verified.stderr)")
        let output = try ResourceRunner.response(verified)
        #expect(output["digest"] as? String == fixture.digest("a"))
        let signatures = output["verified"] as? [[String: Any]] ?? []
        let fingerprint = try keys.fingerprint("rsa2048")
        #expect(signatures.count == 1 && signatures.first?["signer"] as? String == fingerprint)

        for (reference, key) in [("\(image):2.0", "rsa2048"), ("\(image):1.0", "p256")] {
            let refused = try ResourceRunner.run(["verify", reference, "--key", keys.publicKey(key).path])
            #expect(refused.status == 1)
            #expect(refused.stdout.isEmpty)
            #expect(refused.stderr.hasPrefix("error:") && refused.stderr.contains("is not trusted"), "\(refused.stderr)")
        }
    }
}
