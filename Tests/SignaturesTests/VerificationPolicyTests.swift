import Foundation
import OCIModel
import Signatures
import Testing

@Suite("verification policy and payload checks")
struct VerificationPolicyTests {
    static let digest = Digest(sha256Hex: String(repeating: "ab", count: 32))
    static let other = Digest(sha256Hex: String(repeating: "cd", count: 32))

    static func publicPEM() throws -> String {
        let samples = try VerificationKeyTests.samples()
        return try #require(samples.first).pem
    }

    @Test func entriesAreNamedAndKeysNeverEchoed() throws {
        let good = try Self.publicPEM()
        let bad = "-----BEGIN PUBLIC KEY-----\nSECRETISHTEXT\n-----END PUBLIC KEY-----\n"
        do {
            _ = try VerificationPolicy(publicKeysPEM: [good, bad], identities: [], trustedRootJSON: nil, repository: nil,
                                       requireTransparencyLog: false)
            Issue.record("a bad key was accepted")
        } catch {
            #expect(error.description.hasPrefix("malformed public_keys[1]:"))
            #expect(!error.description.contains("SECRETISHTEXT"))
        }
        #expect(throws: SignatureError.malformed(what: "verify", reason: "needs public_keys or identities")) {
            try VerificationPolicy(publicKeysPEM: [], identities: [], trustedRootJSON: nil, repository: nil, requireTransparencyLog: false)
        }
        #expect(throws: SignatureError.self) {
            try VerificationPolicy(publicKeysPEM: [], identities: [.init(issuer: "[", subject: ".*")], trustedRootJSON: nil,
                                   repository: nil, requireTransparencyLog: false)
        }
        #expect(throws: SignatureError.self) {
            try VerificationPolicy(publicKeysPEM: [good], identities: [], trustedRootJSON: "[]", repository: nil,
                                   requireTransparencyLog: false)
        }
        let policy = try VerificationPolicy(publicKeysPEM: [good], identities: [], trustedRootJSON: nil, repository: "r/x",
                                            requireTransparencyLog: true)
        #expect(policy.publicKeys.count == 1 && policy.repository == "r/x" && policy.requireTransparencyLog)
    }

    @Test func simpleSigningPayloadMustNameTheDigestAsACosignSignature() throws {
        func signature(_ json: String) -> AttachedSignature {
            AttachedSignature(location: "test", content: .simpleSigning(payload: Data(json.utf8)), signedBytes: Data(json.utf8),
                              signature: Data())
        }
        func payload(_ digest: Digest, type: String = SimpleSigningPayload.signatureType) -> String {
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"\#(type)"},"optional":null}"#
        }
        #expect(throws: Never.self) { try signature(payload(Self.digest)).checkNames(Self.digest) }
        #expect(throws: SignatureError.rejected(reason: "payload names \(Self.other), not \(Self.digest)")) {
            try signature(payload(Self.other)).checkNames(Self.digest)
        }
        #expect(throws: SignatureError.self) { try signature(payload(Self.digest, type: "attestation")).checkNames(Self.digest) }
        #expect(throws: SignatureError.self) { try signature("not json").checkNames(Self.digest) }
    }

    @Test func dsseStatementMustHaveTheDigestAsSubject() throws {
        // The statement as cosign writes it (a literal, not our encoder's output).
        func envelope(subject: Digest, type: String = "application/vnd.in-toto+json") -> AttachedSignature {
            let statement = #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"r","digest":{"\#(subject.algorithm)":"\#(subject.encoded)"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}"#
            let dsse = SigstoreBundle.DSSEEnvelope(payload: Data(statement.utf8), payloadType: type, signatures: [])
            return AttachedSignature(location: "test", content: .dsse(dsse), signedBytes: dsse.preAuthenticationEncoding,
                                     signature: Data())
        }
        #expect(throws: Never.self) { try envelope(subject: Self.digest).checkNames(Self.digest) }
        #expect(throws: SignatureError.rejected(reason: "the in-toto statement's subject is not \(Self.digest)")) {
            try envelope(subject: Self.other).checkNames(Self.digest)
        }
        #expect(throws: SignatureError.self) { try envelope(subject: Self.digest, type: "text/plain").checkNames(Self.digest) }
    }
}
