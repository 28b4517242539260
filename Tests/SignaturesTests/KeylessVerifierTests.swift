import Foundation
@testable import Signatures
import Testing
import TestSupport

/// Keyless verification against a test sigstore instance whose fixtures
/// Python's `cryptography` made (Tests/StandIns/sigstore/keyless_fixtures.py);
/// each negative case breaks one check and must fail with that check's reason.
@Suite("keyless verification")
struct KeylessVerifierTests {
    let fixtures: KeylessFixtures

    init() throws { fixtures = try KeylessFixtures.load() }

    private func identity(issuer: String? = nil, subject: String) throws -> IdentityPattern {
        try IdentityPattern(issuer: issuer ?? "^https://token\\.example\\.test$", subject: subject)
    }

    private func verify(_ name: String, identities: [IdentityPattern]? = nil, root: TrustedRoot? = nil) throws -> String {
        let fixture = try fixtures.case(name)
        let patterns = try identities ?? [identity(subject: ".*@example\\.com"), identity(subject: "https://github\\.com/org/app/.*")]
        return try KeylessVerifier(trustedRoot: root ?? fixtures.trustedRoot, identities: patterns)
            .verify(signedBytes: fixture.signedBytes, signature: fixture.signature, certificateChain: fixture.chain,
                    evidence: fixture.evidence)
    }

    /// The reason `name` is refused; fails the test if it verifies.
    private func refusal(_ name: String, identities: [IdentityPattern]? = nil, root: TrustedRoot? = nil) -> String {
        do {
            let signer = try verify(name, identities: identities, root: root)
            Issue.record("\(name) verified as \(signer)")
            return ""
        } catch let error as SignatureError {
            return error.description
        } catch {
            Issue.record("\(name): \(error)")
            return ""
        }
    }

    // MARK: accepted

    @Test func cosignTagSchemeAnnotationWithSET() throws {
        #expect(try verify("annotation") == "\(fixtures.email) (\(fixtures.issuer))")
        #expect(try verify("annotationWithChain") == "\(fixtures.email) (\(fixtures.issuer))")
        let fixture = try fixtures.case("annotation")
        let verified = try KeylessVerifier(trustedRoot: fixtures.trustedRoot, identities: [identity(subject: ".*")])
            .check(signedBytes: fixture.signedBytes, signature: fixture.signature, certificateChain: fixture.chain,
                   evidence: fixture.evidence)
        #expect(verified == .init(signer: "\(fixtures.email) (\(fixtures.issuer))", signingTime: 1_700_000_060))
    }

    @Test func bundleEntryWithInclusionProofURISubjectAndLegacyIssuerExtension() throws {
        #expect(try verify("bundleWithProof") == "\(fixtures.uri) (\(fixtures.issuer))")
    }

    @Test func dsseEnvelopeLoggedAsDSSEEntry() throws {
        #expect(try verify("dsse") == "\(fixtures.email) (\(fixtures.issuer))")
    }

    @Test func dsseEnvelopeLoggedAsIntotoEntry() throws {
        #expect(try verify("intoto") == "\(fixtures.email) (\(fixtures.issuer))")
    }

    @Test func anyOfSeveralIdentitiesSuffices() throws {
        let identities = try [identity(issuer: "https://other\\.test", subject: ".*"),
                              identity(subject: "nobody@example\\.com"),
                              identity(subject: "ci@example\\.com")]
        #expect(try verify("annotation", identities: identities) == "\(fixtures.email) (\(fixtures.issuer))")
    }

    // MARK: identity

    @Test func wrongSubjectIsRefused() throws {
        let reason = refusal("annotation", identities: [try identity(subject: "someone@example\\.com")])
        #expect(reason.contains("certificate subject ci@example.com matches no identity"), "\(reason)")
    }

    @Test func substringOnlyMatchIsRefused() throws {
        #expect(refusal("annotation", identities: [try identity(subject: "example\\.com")]).contains("matches no identity"))
        #expect(refusal("bundleWithProof", identities: [try identity(subject: "https://github\\.com/org/app")])
            .contains("matches no identity"))
        let issuerPart = refusal("annotation", identities: [try identity(issuer: "token\\.example", subject: ".*")])
        #expect(issuerPart.contains("certificate issuer https://token.example.test matches no identity's issuer"), "\(issuerPart)")
    }

    @Test func wrongIssuerIsRefused() throws {
        let reason = refusal("annotation", identities: [try identity(issuer: "https://accounts\\.google\\.com", subject: ".*")])
        #expect(reason.contains("matches no identity's issuer"), "\(reason)")
    }

    @Test func malformedPatternIsOneError() {
        #expect(throws: SignatureError.malformed(what: "identity", reason: "subject is not a regular expression")) {
            try IdentityPattern(issuer: ".*", subject: "(unclosed")
        }
    }

    // MARK: signature and log

    @Test func corruptedSignatureIsRefused() {
        #expect(refusal("corruptedSignature") == "signature does not verify under the certificate's key")
    }

    @Test func unknownRekorKeyIsRefused() {
        #expect(refusal("unknownRekorKey").contains("not a Rekor log of the trusted root"))
    }

    @Test func setOverAnotherBodyIsRefused() {
        #expect(refusal("setOverOtherBody").contains("signed entry timestamp does not verify under the Rekor key"))
    }

    @Test func entryForAnotherPayloadIsRefused() {
        #expect(refusal("entryForOtherPayload").contains("transparency-log entry is for other signed content"))
    }

    @Test func inclusionProofNotReachingTheRootIsRefused() {
        #expect(refusal("proofNotReachingRoot").contains("inclusion proof does not lead to the root hash"))
    }

    @Test func checkpointNotSignedByTheRekorKeyIsRefused() {
        #expect(refusal("checkpointByOtherKey").contains("checkpoint is not signed by the Rekor key"))
    }

    @Test func inclusionProofWithoutSETGivesNoSignedTime() throws {
        #expect(refusal("proofWithoutSET").contains("no signed entry timestamp"))
        // The keyed path (require_tlog) needs inclusion, not a time: accepted.
        let fixture = try fixtures.case("proofWithoutSET")
        let key = try VerificationKey(certificateDER: fixture.chain[0])
        let time = try TransparencyLogVerifier(trustedRoot: fixtures.trustedRoot)
            .verify(fixture.evidence, signature: fixture.signature, signedBytes: fixture.signedBytes, publicKey: key)
        #expect(time == 1_700_000_060)
    }

    @Test func rekorKeyNotValidAtTheEntryTimeIsRefused() throws {
        let reason = refusal("annotation", root: try fixtures.variant("rekorKeyValidLater"))
        #expect(reason.contains("was not valid at the entry's time"), "\(reason)")
    }

    @Test func keyedLogEntryMustNameTheKey() throws {
        let fixture = try fixtures.case("annotation")
        let other = try VerificationKey(certificateDER: try fixtures.case("dsse").chain[0])
        #expect(throws: SignatureError.rejected(reason: "transparency-log entry names another key")) {
            try TransparencyLogVerifier(trustedRoot: fixtures.trustedRoot)
                .verify(fixture.evidence, signature: fixture.signature, signedBytes: fixture.signedBytes, publicKey: other)
        }
    }

    @Test func merkleAuditPathsOfTheReference() throws {
        #expect(fixtures.merkle.count == 45)
        for path in fixtures.merkle {
            let leaf = MerkleInclusionProof.leafHash(path.leaf)
            #expect(MerkleInclusionProof.verify(leafHash: leaf, index: path.index, treeSize: path.size,
                                                hashes: path.hashes, rootHash: path.root), "leaf \(path.index) of \(path.size)")
            // Another position, a shorter or longer path, another leaf must not reach the root.
            if path.size > 1 {
                #expect(!MerkleInclusionProof.verify(leafHash: leaf, index: (path.index + 1) % path.size, treeSize: path.size,
                                                     hashes: path.hashes, rootHash: path.root))
                #expect(!MerkleInclusionProof.verify(leafHash: leaf, index: path.index, treeSize: path.size,
                                                     hashes: Array(path.hashes.dropLast()), rootHash: path.root))
            }
            #expect(!MerkleInclusionProof.verify(leafHash: leaf, index: path.index, treeSize: path.size,
                                                 hashes: path.hashes + [leaf], rootHash: path.root))
            #expect(!MerkleInclusionProof.verify(leafHash: MerkleInclusionProof.leafHash(path.leaf + Data([0])),
                                                 index: path.index, treeSize: path.size, hashes: path.hashes,
                                                 rootHash: path.root))
            #expect(!MerkleInclusionProof.verify(leafHash: leaf, index: path.size, treeSize: path.size,
                                                 hashes: path.hashes, rootHash: path.root))
        }
    }

    /// Single-byte corruptions of each input (seeded, so reproducible):
    /// each ends in a SignatureError or, where the byte did not matter (a
    /// DER or base64 slack bit), in the same signer; never in a crash.
    @Test func corruptedInputsAreRefusedWithoutCrashing() throws {
        var generator = SeededGenerator(state: 19)
        let expected = "\(fixtures.email) (\(fixtures.issuer))"
        let fixture = try fixtures.case("annotation")
        guard case .cosignBundleAnnotation(let annotation) = fixture.evidence else {
            Issue.record("the annotation case carries no annotation")
            return
        }
        let verifier = KeylessVerifier(trustedRoot: fixtures.trustedRoot, identities: [try identity(subject: ".*")])
        var refused = 0
        for round in 0..<240 {
            var leaf = fixture.chain[0], signature = fixture.signature, evidence = annotation
            func corrupt(_ data: inout Data) {
                let index = Int(generator.next() % UInt64(data.count))
                data[index] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            }
            switch round % 3 {
            case 0: corrupt(&leaf)
            case 1: corrupt(&signature)
            default: corrupt(&evidence)
            }
            do {
                let signer = try verifier.verify(signedBytes: fixture.signedBytes, signature: signature,
                                                 certificateChain: [leaf], evidence: .cosignBundleAnnotation(evidence))
                #expect(signer == expected)
            } catch {
                refused += 1
            }
        }
        #expect(refused > 200)
    }

    @Test func trustedRootTimesAreRFC3339WithOrWithoutFractions() {
        #expect(TrustedRoot.TimeRange.seconds("2021-03-07T03:20:29Z") == 1_615_087_229)
        #expect(TrustedRoot.TimeRange.seconds("2022-12-31T23:59:59.999Z") == 1_672_531_199)
        #expect(TrustedRoot.TimeRange.seconds("yesterday") == nil)
        #expect(SigningTime.describe(1_700_000_060) == "2023-11-14T22:14:20Z")
    }

    /// The seam the image verifier asks (KeylessCheck): evidence from the
    /// attached signature, the policy's identities and trusted root.
    @Test func keylessCheckTakesTheEvidenceTheSignatureCarries() throws {
        let fixture = try fixtures.case("annotation")
        guard case .cosignBundleAnnotation(let annotation) = fixture.evidence else {
            Issue.record("the annotation case carries no annotation")
            return
        }
        let payload = AttachedSignature.Content.simpleSigning(payload: fixture.signedBytes)
        let policy = VerificationPolicy(identities: [.init(issuer: ".*", subject: "ci@example\\.com")],
                                        trustedRoot: fixtures.trustedRoot)
        let check = KeylessCheck(policy: policy)
        let attached = AttachedSignature(location: "test", content: payload, signedBytes: fixture.signedBytes,
                                         signature: fixture.signature, certificateChain: fixture.chain,
                                         rekorBundleAnnotation: annotation)
        let verified = try check.verify(attached)
        #expect(verified.signer == "\(fixtures.email) (\(fixtures.issuer))" && verified.integratedTime == 1_700_000_060)
        // require_tlog for a keyed signature: the same entry, the key instead of the certificate.
        let key = try VerificationKey(certificateDER: fixture.chain[0])
        #expect(try check.verifyTransparencyLog(attached, key: key) == 1_700_000_060)

        var bare = attached
        bare.rekorBundleAnnotation = nil
        #expect(throws: SignatureError.rejected(reason: "no transparency-log entry (Rekor bundle annotation or bundle tlogEntries)")) {
            try check.verify(bare)
        }
        // Without a trusted root in the policy, the public-good one: it does not know the test log.
        let publicGood = KeylessCheck(policy: VerificationPolicy(identities: policy.identities))
        #expect(throws: SignatureError.self) { try publicGood.verify(attached) }
    }

    @Test func certificateTextInErrorsStaysOnOneLine() {
        #expect(KeylessVerifier.printable("a@b.c\nerror: forged\u{1b}[0m") == "a@b.c?error: forged?[0m")
    }

    @Test func preAuthenticationEncodingIsReadBackSafely() {
        let envelope = SigstoreBundle.DSSEEnvelope(payload: Data("{\"a\": 1}".utf8), payloadType: "application/vnd.in-toto+json",
                                                   signatures: [])
        #expect(DSSEPreAuthentication.payload(of: envelope.preAuthenticationEncoding) == Data("{\"a\": 1}".utf8))
        for text in ["DSSEv1 9223372036854775807 t 1 x", "DSSEv1 1 t 9223372036854775807 x", "DSSEv1 -1 t 1 x",
                     "DSSEv1 1 t 2 x", "DSSEv1 3 t 1 x", "DSSEv2 1 t 1 x", "DSSEv1", ""] {
            #expect(DSSEPreAuthentication.payload(of: Data(text.utf8)) == nil, "\(text)")
        }
    }

    // MARK: certificate

    @Test func expiredAtSigningTimeIsRefused() {
        let reason = refusal("expiredAtSigningTime")
        #expect(reason.contains("does not chain to a Fulcio CA") && reason.contains("certificate has expired"), "\(reason)")
    }

    @Test func chainToUnknownCAIsRefused() {
        let reason = refusal("unknownCA")
        #expect(reason.contains("does not chain to a Fulcio CA") && reason.contains("unable to get local issuer"), "\(reason)")
    }

    @Test func caNotValidAtSigningTimeIsRefused() throws {
        let reason = refusal("annotation", root: try fixtures.variant("caValidLater"))
        #expect(reason.contains("no Fulcio CA of the trusted root was valid at the signing time"), "\(reason)")
    }

    @Test func badSCTIsRefused() {
        #expect(refusal("badSCT") == "embedded SCT does not verify under its CT log's key")
        #expect(refusal("unknownCTLog") == "embedded SCT is from no CT log of the trusted root")
        #expect(refusal("noSCT") == "certificate has no embedded SCT")
    }

    @Test func leafNotForCodeSigningIsRefused() {
        #expect(refusal("notCodeSigning") == "certificate's extended key usage is not code signing")
    }

    @Test func malformedEvidenceIsOneError() throws {
        let fixture = try fixtures.case("annotation")
        let verifier = KeylessVerifier(trustedRoot: fixtures.trustedRoot, identities: [try identity(subject: ".*")])
        #expect(throws: SignatureError.malformed(what: "cosign bundle annotation", reason: "not a Rekor bundle's JSON")) {
            try verifier.verify(signedBytes: fixture.signedBytes, signature: fixture.signature,
                                certificateChain: fixture.chain, evidence: .cosignBundleAnnotation(Data("{".utf8)))
        }
        #expect(throws: SignatureError.malformed(what: "certificate", reason: "not a DER X.509 certificate")) {
            try verifier.verify(signedBytes: fixture.signedBytes, signature: fixture.signature,
                                certificateChain: [Data("not DER".utf8)], evidence: fixture.evidence)
        }
    }
}

/// sigstore-python (PyPI `sigstore`) verifies the good bundle fixture with the
/// test trusted root, offline: the fixtures follow sigstore's formats.
@Suite("keyless fixtures")
struct KeylessFixtureCrossCheckTests {
    @Test func sigstorePythonAcceptsTheBundleFixture() throws {
        let directory = try TemporaryDirectory(prefix: "sigstore-cross-check")
        let result = try ExternalCommand.run(
            ExternalCommand.awsPython,
            [TestPaths.standIns.appendingPathComponent(KeylessFixtures.script).path, "--cross-check", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("sigstore-python: ok"))
    }
}

@Suite("public-good trusted root")
struct PublicGoodTrustedRootTests {
    /// The compiled-in root is the committed data file (scripts/embed-trusted-root.sh).
    @Test func compiledRootMatchesTheDataFile() throws {
        let file = TestPaths.packageRoot.appendingPathComponent("Sources/Signatures/PublicGood/trusted_root.json")
        let fromFile = try TrustedRoot(json: Data(contentsOf: file))
        let compiled = try TrustedRoot.publicGood()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(compiled) == encoder.encode(fromFile))
        #expect(compiled.tlogs?.contains { $0.baseUrl == "https://rekor.sigstore.dev" } == true)
        #expect(compiled.certificateAuthorities?.count == 2)
        #expect(compiled.ctlogs?.count == 2)
    }

    @Test func generatedSourceIsUpToDate() throws {
        let directory = try TemporaryDirectory(prefix: "trusted-root")
        let output = directory.appending("PublicGoodTrustedRootJSON.swift")
        try ExternalCommand.check("bash", [TestPaths.packageRoot.appendingPathComponent("scripts/embed-trusted-root.sh").path, output.path])
        let committed = TestPaths.packageRoot.appendingPathComponent("Sources/Signatures/PublicGood/PublicGoodTrustedRootJSON.swift")
        #expect(try Data(contentsOf: output) == Data(contentsOf: committed), "run scripts/embed-trusted-root.sh")
    }
}

