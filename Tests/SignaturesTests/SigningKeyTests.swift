import Foundation
import Signatures
import Testing
import TestSupport

/// Private keys written by Python's `cryptography` (PKCS#8, plain or
/// encrypted) and in cosign's encrypted format (scrypt + secretbox); our
/// signatures are checked by `cryptography`, not by our verifier.
@Suite("signing keys")
struct SigningKeyTests {
    static let message = Data("payload to sign".utf8)

    /// Generates a key with keys.py; returns (private PEM, public PEM).
    static func generate(_ kind: String, password: String?, cosign: Bool, in directory: TemporaryDirectory) throws -> (String, String) {
        var arguments = ["generate", kind, directory.url.path]
        if let password { arguments += ["--password", password] }
        if cosign { arguments.append("--cosign") }
        try ExternalCommand.cryptographyPython("signatures/keys.py", arguments)
        return (try String(contentsOf: directory.appending("key.pem"), encoding: .utf8),
                try String(contentsOf: directory.appending("key.pub"), encoding: .utf8))
    }

    static func cryptographyAccepts(_ signature: Data, publicPEM: String, in directory: TemporaryDirectory) throws -> Bool {
        try publicPEM.write(to: directory.appending("check.pub"), atomically: true, encoding: .utf8)
        try message.write(to: directory.appending("message"))
        let result = try ExternalCommand.run(ExternalCommand.cryptographyPython, [
            TestPaths.standIns.appendingPathComponent("signatures/keys.py").path, "verify",
            directory.appending("check.pub").path, directory.appending("message").path, signature.base64EncodedString(),
        ])
        return result.status == 0
    }

    @Test(arguments: [("p256", nil, false), ("p384", "pw", false), ("rsa2048", nil, false), ("ed25519", "secret", false),
                      ("p256", "cosign-pw", true), ("ed25519", "", true)] as [(String, String?, Bool)])
    func signsWhatCryptographyVerifies(kind: String, password: String?, cosign: Bool) throws {
        let directory = try TemporaryDirectory(prefix: "sign")
        let (privatePEM, publicPEM) = try Self.generate(kind, password: password, cosign: cosign, in: directory)
        let key = try SigningKey(pem: privatePEM, password: password)
        #expect(key.publicKey == (try VerificationKey(pem: publicPEM)))
        let signature = try key.sign(Self.message)
        #expect(try Self.cryptographyAccepts(signature, publicPEM: publicPEM, in: directory))
        var flipped = signature
        flipped[flipped.count - 1] ^= 0x01
        #expect(!(try Self.cryptographyAccepts(flipped, publicPEM: publicPEM, in: directory)))
    }

    @Test func wrongPasswordIsOneLineWithoutSecrets() throws {
        for cosign in [false, true] {
            let directory = try TemporaryDirectory(prefix: "wrong")
            let (privatePEM, _) = try Self.generate("p256", password: "right-password", cosign: cosign, in: directory)
            do {
                _ = try SigningKey(pem: privatePEM, password: "wrong-password")
                Issue.record("a wrong password was accepted")
            } catch {
                let text = error.description
                #expect(!text.contains("\n"))
                #expect(!text.contains("password-") && !text.contains("PRIVATE"))
                #expect(text.contains("password"))
            }
        }
    }

    @Test func garbageIsMalformed() {
        #expect(throws: SignatureError.self) { try SigningKey(pem: "nothing", password: nil) }
        #expect(throws: SignatureError.self) {
            try SigningKey(pem: "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\ne30=\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", password: "x")
        }
    }
}
