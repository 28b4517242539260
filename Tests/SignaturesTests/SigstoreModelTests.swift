import Foundation
import Signatures
import Testing

@Suite("sigstore documents")
struct SigstoreModelTests {
    @Test func simpleSigningPayloadMustNameTheDigest() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let json = Data(#"{"critical":{"identity":{"docker-reference":"r/x"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"cosign container image signature"},"optional":null}"#.utf8)
        #expect(throws: Never.self) { try SimpleSigningPayload(json: json, expecting: digest) }
        let other = "sha256:" + String(repeating: "cd", count: 32)
        #expect(throws: SignatureError.self) { try SimpleSigningPayload(json: json, expecting: other) }
    }

    @Test func bundleNeedsExactlyOneContent() throws {
        let material = #"{"publicKey":{"hint":"k"}}"#
        let both = Data(#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":\#(material),"messageSignature":{"signature":"AAAA"},"dsseEnvelope":{"payload":"AAAA","payloadType":"t","signatures":[]}}"#.utf8)
        #expect(throws: SignatureError.self) { try SigstoreBundle(json: both) }
        let one = Data(#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":\#(material),"messageSignature":{"signature":"AAE"}}"#.utf8)
        let bundle = try SigstoreBundle(json: one)
        #expect(bundle.messageSignature?.signature.data == Data([0, 1]))
    }

    @Test func dssePreAuthenticationEncodingFollowsTheSpec() {
        let envelope = SigstoreBundle.DSSEEnvelope(payload: Data("hello".utf8), payloadType: "text/plain", signatures: [])
        #expect(String(decoding: envelope.preAuthenticationEncoding, as: UTF8.self) == "DSSEv1 10 text/plain 5 hello")
    }

    @Test func inTotoStatementWithAnyPredicateIsRead() throws {
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let json = Data(#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"r","digest":{"sha256":"\#(String(repeating: "ab", count: 32))"}}],"predicateType":"https://cosign.sigstore.dev/attestation/v1","predicate":{"nested":{"list":[1,true,null]}}}"#.utf8)
        let statement = try InTotoStatement(json: json, expecting: digest)
        #expect(statement.predicateType == "https://cosign.sigstore.dev/attestation/v1")
        #expect(throws: SignatureError.self) { try InTotoStatement(json: json, expecting: "sha256:" + String(repeating: "cd", count: 32)) }
    }
}
