import Foundation
import Signatures
import Testing
import TestSupport

/// Keys and signatures made by Python's `cryptography` (Tests/StandIns/signatures/keys.py).
@Suite("verification keys")
struct VerificationKeyTests {
    struct Sample: Decodable {
        let kind: String
        let pem: String
        let fingerprint: String
        let signature: String
    }

    static let message = Data(#"{"critical":{"type":"cosign container image signature"}}"#.utf8)

    static func samples() throws -> [Sample] {
        let directory = try TemporaryDirectory(prefix: "keys")
        let file = directory.appending("message")
        try message.write(to: file)
        let output = try ExternalCommand.cryptographyPython("signatures/keys.py", ["sample", file.path])
        return try JSONDecoder().decode([Sample].self, from: output)
    }

    @Test func everyKindVerifiesItsOwnSignatureOnly() throws {
        let samples = try Self.samples()
        #expect(samples.count == 5)
        let keys = try samples.map { try VerificationKey(pem: $0.pem) }
        for (sample, key) in zip(samples, keys) {
            let signature = try #require(Data(base64Encoded: sample.signature))
            #expect(key.verify(signature: signature, message: Self.message), "\(sample.kind)")
            #expect(key.fingerprint == sample.fingerprint, "\(sample.kind)")
            // Another message, a flipped bit, and every other key refuse it.
            #expect(!key.verify(signature: signature, message: Self.message + Data("x".utf8)), "\(sample.kind)")
            var flipped = signature
            flipped[flipped.count / 2] ^= 0x01
            #expect(!key.verify(signature: flipped, message: Self.message), "\(sample.kind)")
            for other in keys where other != key {
                #expect(!other.verify(signature: signature, message: Self.message), "\(sample.kind) under \(other.algorithm)")
            }
        }
        #expect(keys.map(\.algorithm) == [.ecdsaP256, .ecdsaP384, .rsa, .ed25519, .ecdsaP384])
    }

    @Test func derAndPEMAgree() throws {
        let sample = try #require(try Self.samples().first)
        let key = try VerificationKey(pem: sample.pem)
        let again = try VerificationKey(spkiDER: key.spkiDER)
        #expect(again == key)
        #expect(try VerificationKey(pem: key.pem) == key)
    }

    @Test func certificateYieldsItsKey() throws {
        let directory = try TemporaryDirectory(prefix: "cert")
        let keyFile = directory.appending("key.pem").path
        let certFile = directory.appending("cert.der").path
        try ExternalCommand.check("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", keyFile])
        try ExternalCommand.check("openssl", ["req", "-x509", "-new", "-key", keyFile, "-subj", "/CN=test",
                                              "-days", "1", "-outform", "DER", "-out", certFile])
        let publicPEM = try ExternalCommand.check("openssl", ["pkey", "-in", keyFile, "-pubout"])
        let fromCertificate = try VerificationKey(certificateDER: try Data(contentsOf: URL(fileURLWithPath: certFile)))
        #expect(fromCertificate == (try VerificationKey(pem: String(decoding: publicPEM, as: UTF8.self))))
    }

    @Test func malformedKeysAreOneLineErrors() throws {
        for bad in ["", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "not a key"] {
            #expect(throws: SignatureError.self) { try VerificationKey(pem: bad) }
        }
        #expect(throws: SignatureError.self) { try VerificationKey(spkiDER: Data([0x30, 0x03, 0x02, 0x01])) }
        #expect(throws: SignatureError.self) { try VerificationKey(certificateDER: Data("junk".utf8)) }
        // A curve cosign does not use.
        let directory = try TemporaryDirectory(prefix: "k1")
        let keyFile = directory.appending("k.pem").path
        try ExternalCommand.check("openssl", ["ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", keyFile])
        let pem = String(decoding: try ExternalCommand.check("openssl", ["pkey", "-in", keyFile, "-pubout"]), as: UTF8.self)
        #expect(throws: SignatureError.self) { try VerificationKey(pem: pem) }
    }
}
