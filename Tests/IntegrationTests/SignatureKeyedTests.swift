import Foundation
import TestSupport
import Testing

/// `source.verify` with `public_keys`, through the executable against
/// docker-registry: signatures attached by cosign_attach.py (Python's
/// `cryptography`, cosign's formats), never by the code under test.
@Suite("signatures: keyed verification through the executable")
struct SignatureKeyedTests {
    @Test func eachKeyKindVerifiesUnderItsOwnKeyOnly() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/kinds"
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository, tags: [
            "1.0.0": "d1", "1.1.0": "d2", "1.2.0": "d3", "1.3.0": "d4", "1.4.0": "d5", "1.5.0": "d6",
        ])
        try CosignAttach.tag(registry, repository, fixture.digest("d1"), key: keys.privateKey("p256"))
        try CosignAttach.tag(registry, repository, fixture.digest("d2"), key: keys.privateKey("p384"), ["--hash", "sha384"])
        try CosignAttach.tag(registry, repository, fixture.digest("d3"), key: keys.privateKey("p384"))  // SHA-256, as cosign
        try CosignAttach.tag(registry, repository, fixture.digest("d4"), key: keys.privateKey("rsa2048"))
        try CosignAttach.tag(registry, repository, fixture.digest("d5"), key: keys.privateKey("ed25519"))

        let all = try ["p256", "p384", "rsa2048", "ed25519"].map { try keys.publicPEM($0) }
        let (versions, stderr) = try SignedResource.check(SignedResource.source(registry, repository, keys: all))
        #expect(SignedResource.tags(versions) == ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"])
        let skipped = stderr.split(separator: "\n").filter { $0.contains("skipping") }
        #expect(skipped.count == 1)
        #expect(skipped.first?.contains("1.5.0") == true && skipped.first?.contains(fixture.digest("d6")) == true)
        #expect(skipped.first?.contains("no signature found") == true)

        // One key alone accepts only its own signature.
        let (onlyP256, stderrP256) = try SignedResource.check(SignedResource.source(registry, repository, keys: [all[0]]))
        #expect(SignedResource.tags(onlyP256) == ["1.0.0"])
        #expect(stderrP256.split(separator: "\n").filter { $0.contains("skipping") }.count == 5)
        #expect(stderrP256.contains("does not verify under any of the 1 public key(s)"))
        #expect(!stderrP256.contains("BEGIN PUBLIC KEY"))
    }

    @Test func refusedSignaturesAreNeverSeenOrFetched() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/refused"
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository, tags: [
            "1.0.0": "good", "1.1.0": "corrupt", "1.2.0": "other", "1.3.0": "type", "1.4.0": "wrongkey",
        ])
        let key = keys.privateKey("p256")
        try CosignAttach.tag(registry, repository, fixture.digest("good"), key: key)
        try CosignAttach.tag(registry, repository, fixture.digest("corrupt"), key: key, ["--corrupt"])
        try CosignAttach.tag(registry, repository, fixture.digest("other"), key: key, ["--names", fixture.digest("good")])
        try CosignAttach.tag(registry, repository, fixture.digest("type"), key: key, ["--type", "something else"])
        try CosignAttach.tag(registry, repository, fixture.digest("wrongkey"), key: keys.privateKey("ed25519"))
        let source = SignedResource.source(registry, repository, keys: [try keys.publicPEM("p256")])

        let (versions, stderr) = try SignedResource.check(source)
        #expect(SignedResource.tags(versions) == ["1.0.0"])
        let lines = stderr.split(separator: "\n").map(String.init)
        func line(_ tag: String) -> String { lines.first { $0.contains("skipping tag \(tag) ") } ?? "" }
        #expect(line("1.1.0").contains("does not verify"))
        #expect(line("1.2.0").contains("payload names \(fixture.digest("good"))"))
        #expect(line("1.3.0").contains("payload type is \"something else\""))
        #expect(line("1.4.0").contains("does not verify"))

        // get: refused before anything is written, in every form.
        for (label, reason) in [("other", "payload names"), ("corrupt", "does not verify"), ("type", "payload type")] {
            for params in [[:], ["skip_download": true], ["format": "oci"]] as [[String: Any]] {
                let (result, entries, _) = try SignedResource.get(source, digest: fixture.digest(label), params: params)
                #expect(result.status != 0)
                let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
                #expect(errors.count == 1)
                #expect(errors.first?.contains(fixture.digest(label)) == true && errors.first?.contains(reason) == true,
                        "\(result.stderr)")
                #expect(entries.isEmpty, "left \(entries)")
                #expect(result.stdout.isEmpty)
            }
        }

        // The signed one is fetched, and says by whom.
        let fingerprint = try keys.fingerprint("p256")
        let (fetched, entries, _) = try SignedResource.get(source, digest: fixture.digest("good"))
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(entries.contains("rootfs") && entries.contains("digest"))
        #expect(try SignedResource.metadata(fetched, "signed_by") == fingerprint)
        let (skipped, _, _) = try SignedResource.get(source, digest: fixture.digest("good"), params: ["skip_download": true])
        #expect(skipped.status == 0)
        #expect(try SignedResource.metadata(skipped, "signed_by") == fingerprint)
    }

    @Test func checkNeverReportsAnUnverifiedVersionInAnyMode() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/modes"
        let fixture = try CheckRepositoryFixture(
            registry: registry, repository: repository,
            tags: ["1.0.0": "a", "1.1.0": "b", "2.0.0": "c", "latest": "b", "stable": "c"],
            created: ["a": "2024-01-01T00:00:00Z", "b": "2024-03-01T00:00:00Z", "c": "2024-02-01T00:00:00Z"])
        try CosignAttach.tag(registry, repository, fixture.digest("a"), key: keys.privateKey("p256"))
        try CosignAttach.tag(registry, repository, fixture.digest("c"), key: keys.privateKey("p256"))
        let source = SignedResource.source(registry, repository, keys: [try keys.publicPEM("p256")])
        func with(_ extra: [String: Any]) -> [String: Any] { source.merging(extra) { $1 } }

        // semver, with and without a cursor
        #expect(SignedResource.tags(try SignedResource.check(source).versions) == ["1.0.0", "2.0.0"])
        let cursor = ["tag": "1.0.0", "digest": fixture.digest("a")]
        #expect(SignedResource.tags(try SignedResource.check(source, version: cursor).versions) == ["1.0.0", "2.0.0"])
        // tag: the unsigned tag is not reported, and a cursor stays where it was
        let (unsigned, stderr) = try SignedResource.check(with(["tag": "latest"]))
        #expect(unsigned.isEmpty)
        #expect(stderr.contains("skipping tag latest (\(fixture.digest("b")))"))
        let (stayed, _) = try SignedResource.check(with(["tag": "latest"]), version: ["tag": "latest", "digest": fixture.digest("a")])
        #expect(stayed.map { $0["digest"] } == [fixture.digest("a")])
        #expect(try SignedResource.check(with(["tag": "stable"])).versions.map { $0["digest"] } == [fixture.digest("c")])
        // tag_regex, by name and by creation time
        #expect(SignedResource.tags(try SignedResource.check(with(["tag_regex": "^1\\."])).versions) == ["1.0.0"])
        let sorted = try SignedResource.check(with(["tag_regex": "^[0-9.]+$", "created_at_sort": true])).versions
        #expect(!sorted.contains { $0["digest"] == fixture.digest("b") })
        #expect(sorted.last?["digest"] == fixture.digest("c"))
    }

    @Test func bundleReferrersAndAnotherSignatureRepository() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/bundle"
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository,
                                                 tags: ["1.0.0": "a", "1.1.0": "b", "1.2.0": "c", "1.3.0": "d", "1.4.0": "e"])
        try CosignAttach.bundle(registry, repository, fixture.digest("a"), key: keys.privateKey("p256"))
        // d: a message signature over a simple-signing payload beside the bundle; e: the same naming a.
        try CosignAttach.bundle(registry, repository, fixture.digest("d"), key: keys.privateKey("p256"), ["--message"])
        try CosignAttach.bundle(registry, repository, fixture.digest("e"), key: keys.privateKey("p256"),
                                ["--message", "--names", fixture.digest("a")])
        try CosignAttach.bundle(registry, repository, fixture.digest("b"), key: keys.privateKey("p256"),
                                ["--names", fixture.digest("a")])
        // c's signature lives in another repository (cosign's COSIGN_REPOSITORY).
        try CosignAttach.tag(registry, "sig/elsewhere", fixture.digest("c"), key: keys.privateKey("p256"))
        let pem = try keys.publicPEM("p256")

        let (versions, stderr) = try SignedResource.check(SignedResource.source(registry, repository, keys: [pem]))
        #expect(SignedResource.tags(versions) == ["1.0.0", "1.3.0"])
        #expect(stderr.contains("subject is not \(fixture.digest("b"))"))
        #expect(stderr.contains("payload names \(fixture.digest("a")), not \(fixture.digest("e"))"))
        let elsewhere = SignedResource.source(registry, repository, keys: [pem]).merging(
            ["verify": ["public_keys": [pem], "repository": "\(registry.url)/sig/elsewhere"]]) { $1 }
        #expect(SignedResource.tags(try SignedResource.check(elsewhere).versions) == ["1.2.0"])
    }

    @Test func aSignatureOnThePlatformManifestCounts() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/platforms"
        let images = ["amd64", "arm64"].map { arch in
            ImageSpec(architecture: arch, layers: [LayerSpec([.file("arch", arch + "\n")], compression: .none)])
        }
        let pushed = try TestSupport.push(IndexSpec(tag: "multi", images: images), to: registry, repository: repository)
        let amd64 = try #require(pushed.image.manifests?.first { $0.platform.architecture == "amd64" })
        try CosignAttach.tag(registry, repository, amd64.digest, key: keys.privateKey("p256"))
        let source = SignedResource.source(registry, repository, keys: [try keys.publicPEM("p256")], extra: ["tag": "multi"])

        let onAMD = source.merging(["platform": ["os": "linux", "architecture": "amd64"]]) { $1 }
        #expect(try SignedResource.check(onAMD).versions.map { $0["digest"] } == [pushed.manifestDigest])
        let onARM = source.merging(["platform": ["os": "linux", "architecture": "arm64"]]) { $1 }
        #expect(try SignedResource.check(onARM).versions.isEmpty)
        let (fetched, _, _) = try SignedResource.get(onAMD, digest: pushed.manifestDigest)
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let (refused, entries, _) = try SignedResource.get(onARM, digest: pushed.manifestDigest)
        #expect(refused.status != 0 && entries.isEmpty)
        #expect(refused.stderr.contains("platform manifest"))
    }

    @Test func requireTlogRefusesAKeyedSignatureWithoutALogEntry() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/tlog"
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository, tags: ["1.0.0": "a"])
        try CosignAttach.tag(registry, repository, fixture.digest("a"), key: keys.privateKey("p256"))
        let pem = try keys.publicPEM("p256")
        let plain = SignedResource.source(registry, repository, keys: [pem])
        #expect(SignedResource.tags(try SignedResource.check(plain).versions) == ["1.0.0"])
        let strict = plain.merging(["verify": ["public_keys": [pem], "require_tlog": true]]) { $1 }
        let (versions, stderr) = try SignedResource.check(strict)
        #expect(versions.isEmpty)
        #expect(stderr.contains("no transparency-log entry"), "\(stderr)")
    }

    @Test func hostileSignaturesAreSetAsideWithoutFailingTheCheck() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let repository = "sig/hostile"
        let fixture = try CheckRepositoryFixture(registry: registry, repository: repository,
                                                 tags: ["1.0.0": "a", "1.1.0": "b", "1.2.0": "c"])
        let key = keys.privateKey("p256")
        // a: a hostile layer beside a good one; b: only a hostile one; c: a hostile bundle beside a good one.
        try CosignAttach.tag(registry, repository, fixture.digest("a"), key: key, ["--oversize"])
        try CosignAttach.tag(registry, repository, fixture.digest("a"), key: key)
        try CosignAttach.tag(registry, repository, fixture.digest("b"), key: key, ["--oversize"])
        try CosignAttach.bundle(registry, repository, fixture.digest("c"), key: key, ["--oversize"])
        try CosignAttach.bundle(registry, repository, fixture.digest("c"), key: key)
        let source = SignedResource.source(registry, repository, keys: [try keys.publicPEM("p256")])
        let (versions, stderr) = try SignedResource.check(source)
        #expect(SignedResource.tags(versions) == ["1.0.0", "1.2.0"])
        #expect(stderr.contains("skipping tag 1.1.0") && stderr.contains("5242880 bytes"), "\(stderr)")
    }

    @Test func aBadPolicyIsOneErrorLine() throws {
        let registry = try TestRegistry.shared()
        let keys = try SignatureKeys.shared()
        let privatePEM = try String(contentsOf: keys.privateKey("p256"), encoding: .utf8)
        let cases: [([String: Any], String)] = [
            (["public_keys": ["not a key"]], "source.verify.public_keys[0]"),
            (["public_keys": [privatePEM]], "source.verify.public_keys[0]"),
            (["identities": [["issuer": "(", "subject": ".*"]]], "source.verify.identities[0]"),
            (["public_keys": [try keys.publicPEM("p256")], "trusted_root": "{"], "source.verify.trusted_root"),
            (["public_keys": [try keys.publicPEM("p256")], "colour": "red"], "source.verify.colour"),
            ([:], "source.verify"),
        ]
        for (verify, field) in cases {
            let result = try ResourceRunner.run(["check"], request: ["source": ["repository": "\(registry.url)/sig/none", "verify": verify]])
            #expect(result.status != 0)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error:") && lines[0].contains(field), "\(result.stderr)")
            #expect(!result.stderr.contains("PRIVATE KEY") && !result.stderr.contains(String(privatePEM.dropFirst(40).prefix(20))))
        }
    }
}
