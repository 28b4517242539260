import Foundation
import Testing
import TestSupport

/// Keyless verification through the executable: an image in docker-registry
/// with a keyless cosign signature in the tag scheme (Fulcio-like leaf with
/// an embedded SCT, Rekor SET in the bundle annotation), made by
/// Tests/StandIns/sigstore/attach_keyless.py with Python's `cryptography`
/// under a test trusted root passed as `source.verify.trusted_root`.
@Suite("keyless verification through the executable")
struct KeylessVerifyTests {
    static let issuer = "https://token.example.test"
    static let signer = "ci@example.com"

    struct SignedImage {
        let repository: String
        let digest: String
        let trustedRoot: String
    }

    /// One image per test run, signed by `signer` in cosign's tag scheme.
    static let image = Result { try signedImage(format: "tag") }
    /// Another, signed as `cosign sign --new-bundle-format` does: a DSSE
    /// sigstore bundle as an OCI 1.1 referrer (behind the fallback tag).
    static let bundleImage = Result { try signedImage(format: "bundle") }

    private static func signedImage(format: String, payloadDigest: String? = nil) throws -> SignedImage {
        let registry = try TestRegistry.shared()
        let repository = "keyless/\(format)-\(UUID().uuidString.prefix(8).lowercased())"
        let pushed = try push(ImageSpec(tag: "v1", layers: [LayerSpec([.file("hello", "signed\n")])]),
                              to: registry, repository: repository)
        let layout = try TemporaryDirectory(prefix: "keyless-signature")
        let out = try ExternalCommand.check(
            ExternalCommand.cryptographyPython,
            [TestPaths.standIns.appendingPathComponent("sigstore/attach_keyless.py").path, layout.path,
             pushed.manifestDigest, pushed.reference, "--email", signer, "--issuer", issuer, "--format", format,
             "--subject-size", String(pushed.image.size), "--subject-media-type", pushed.image.mediaType]
                + (payloadDigest.map { ["--payload-digest", $0] } ?? []))
        guard let document = try JSONSerialization.jsonObject(with: out) as? [String: Any],
              let tag = document["tag"] as? String, let root = document["trustedRoot"] else {
            throw ExternalCommandError.unexpectedOutput(command: "attach_keyless.py", output: String(decoding: out, as: UTF8.self))
        }
        try pushLayout(layout.url, layoutTag: tag, to: registry, repository: repository, tag: tag, method: .raw)
        let rootJSON = String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
        return SignedImage(repository: pushed.reference, digest: pushed.manifestDigest, trustedRoot: rootJSON)
    }

    private func source(_ image: SignedImage, subject: String) -> [String: Any] {
        ["repository": image.repository, "tag": "v1",
         "verify": ["identities": [["issuer": "^https://token\\.example\\.test$", "subject": subject]],
                    "trusted_root": image.trustedRoot]]
    }

    /// `in` (metadata only) with an identity the signature matches: succeeds and names the signer.
    private func expectGetNamesTheSigner(_ image: SignedImage, subject: String, prefix: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let destination = try TemporaryDirectory(prefix: prefix)
        let get = try ResourceRunner.run(
            ["in", destination.path],
            request: ResourceRunner.inRequest(repository: image.repository, digest: image.digest,
                                              source: source(image, subject: subject), params: ["skip_download": true]))
        #expect(get.status == 0, "stderr: \(get.stderr)", sourceLocation: sourceLocation)
        let metadata = try ResourceRunner.response(get)["metadata"] as? [[String: String]] ?? []
        #expect(metadata.contains { $0["name"] == "signed_by" && $0["value"] == "\(Self.signer) (\(Self.issuer))" },
                "\(metadata)", sourceLocation: sourceLocation)
    }

    @Test func checkReportsTheVersionSignedByTheIdentity() throws {
        let image = try Self.image.get()
        let result = try ResourceRunner.run(["check"], request: ["source": source(image, subject: "^ci@example\\.com$")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let versions = try ResourceRunner.json(result) as? [[String: String]] ?? []
        #expect(versions.map { $0["digest"] } == [image.digest])
    }

    @Test func checkPassesOverTheVersionForAnotherIdentity() throws {
        let image = try Self.image.get()
        // "example\.com" matches only part of the subject: not enough.
        for subject in ["^someone@example\\.com$", "example\\.com"] {
            let result = try ResourceRunner.run(["check"], request: ["source": source(image, subject: subject)])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect((try ResourceRunner.json(result) as? [Any])?.isEmpty == true)
            #expect(result.stderr.contains(image.digest) && result.stderr.contains("matches no identity"), "\(result.stderr)")
        }
    }

    @Test func getNamesTheSignerAndRefusesAnotherIdentity() throws {
        let image = try Self.image.get()
        try expectGetNamesTheSigner(image, subject: ".*@example\\.com", prefix: "keyless-get")

        let refused = try TemporaryDirectory(prefix: "keyless-refused")
        let result = try ResourceRunner.run(
            ["in", refused.path],
            request: ResourceRunner.inRequest(repository: image.repository, digest: image.digest,
                                              source: source(image, subject: "^release@example\\.com$")))
        #expect(result.status != 0)
        #expect(result.stderr.contains("error:") && result.stderr.contains(image.digest), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: refused.path).isEmpty)
    }

    @Test func bundleReferrerWithDSSEEnvelopeIsVerified() throws {
        let image = try Self.bundleImage.get()
        let check = try ResourceRunner.run(["check"], request: ["source": source(image, subject: "^ci@example\\.com$")])
        #expect(check.status == 0, "stderr: \(check.stderr)")
        #expect((try ResourceRunner.json(check) as? [[String: String]] ?? []).map { $0["digest"] } == [image.digest])
        try expectGetNamesTheSigner(image, subject: "^ci@example\\.com$", prefix: "keyless-bundle-get")
        // The other identity: passed over, with the reason.
        let other = try ResourceRunner.run(["check"], request: ["source": source(image, subject: "^other@example\\.com$")])
        #expect((try ResourceRunner.json(other) as? [Any])?.isEmpty == true)
        #expect(other.stderr.contains("matches no identity"), "\(other.stderr)")
    }

    @Test func verifyByHandWithIdentityRegexpsAndATrustedRootFile() throws {
        let image = try Self.image.get()
        let work = try TemporaryDirectory(prefix: "keyless-cli")
        let root = work.appending("trusted_root.json")
        try Data(image.trustedRoot.utf8).write(to: root)
        func verify(_ subject: String) throws -> CommandResult {
            try ResourceRunner.run(["verify", "\(image.repository):v1", "--certificate-identity-regexp", subject,
                                    "--certificate-oidc-issuer-regexp", "https://token\\.example\\.test",
                                    "--trusted-root", root.path])
        }
        let verified = try verify("ci@.*")
        #expect(verified.status == 0, "\(verified.stderr)")
        let output = try ResourceRunner.response(verified)
        #expect(output["digest"] as? String == image.digest)
        let signers = (output["verified"] as? [[String: Any]] ?? []).compactMap { $0["signer"] as? String }
        #expect(signers == ["\(Self.signer) (\(Self.issuer))"])

        let refused = try verify("ci@example")
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("error:") && refused.stderr.contains("matches no identity"), "\(refused.stderr)")
    }

    @Test func signatureWhosePayloadNamesAnotherDigestIsPassedOver() throws {
        let other = "sha256:" + String(repeating: "0f", count: 32)
        let image = try Self.signedImage(format: "tag", payloadDigest: other)
        let result = try ResourceRunner.run(["check"], request: ["source": source(image, subject: ".*")])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect((try ResourceRunner.json(result) as? [Any])?.isEmpty == true)
        #expect(result.stderr.contains("payload names \(other), not \(image.digest)"), "\(result.stderr)")
    }

    @Test func theShippedPublicGoodRootDoesNotTrustTheTestCA() throws {
        let image = try Self.image.get()
        var source = source(image, subject: ".*")
        source["verify"] = ["identities": [["issuer": ".*", "subject": ".*"]]]
        let result = try ResourceRunner.run(["check"], request: ["source": source])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect((try ResourceRunner.json(result) as? [Any])?.isEmpty == true)
        #expect(result.stderr.contains("not a Rekor log of the trusted root"), "\(result.stderr)")
    }
}
