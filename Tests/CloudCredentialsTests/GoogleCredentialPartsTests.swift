import Foundation
import Logging
import Testing
import TestSupport
@testable import CloudCredentials

/// The Google login's parts that need no server: the RS256 assertion checked
/// by openssl (the reference), the key-file and subject-token readers.
@Suite struct GoogleCredentialPartsTests {
    @Test func assertionSignatureVerifiesWithOpenSSLAndCarriesTheClaims() throws {
        let directory = try TemporaryDirectory(prefix: "rs256")
        let keyPEM = try ExternalCommand.check("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
        let key = directory.appending("key.pem")
        try keyPEM.write(to: key)
        _ = try ExternalCommand.check("openssl", ["pkey", "-in", key.path, "-pubout", "-out", directory.appending("pub.pem").path])

        let jwt = try ServiceAccountToken.assertion(
            email: "sa@p.iam.gserviceaccount.com", keyID: "kid-1", privateKeyPEM: String(decoding: keyPEM, as: UTF8.self),
            audience: "https://oauth2.googleapis.com/token", issuedAt: 1_800_000_000)
        let parts = jwt.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        func decode(_ text: String) throws -> Data {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            return try #require(Data(base64Encoded: base64))
        }
        try Data((parts[0] + "." + parts[1]).utf8).write(to: directory.appending("input"))
        try decode(parts[2]).write(to: directory.appending("sig"))
        let verified = try ExternalCommand.run("openssl", [
            "dgst", "-sha256", "-verify", directory.appending("pub.pem").path, "-signature", directory.appending("sig").path,
            directory.appending("input").path,
        ])
        #expect(verified.status == 0 && verified.stdoutString.contains("Verified OK"), "\(verified.stdoutString)")

        let header = try JSONSerialization.jsonObject(with: try decode(parts[0])) as? [String: String]
        #expect(header == ["alg": "RS256", "typ": "JWT", "kid": "kid-1"])
        let claims = try JSONSerialization.jsonObject(with: try decode(parts[1])) as? [String: Any] ?? [:]
        #expect(claims["iss"] as? String == "sa@p.iam.gserviceaccount.com")
        #expect(claims["scope"] as? String == "https://www.googleapis.com/auth/cloud-platform")
        #expect(claims["aud"] as? String == "https://oauth2.googleapis.com/token")
        #expect(claims["iat"] as? Int == 1_800_000_000 && claims["exp"] as? Int == 1_800_003_600)
    }

    @Test func keysThatCannotSignAreRefusedWithoutQuotingThem() throws {
        let ecKey = try ExternalCommand.check("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        for pem in [String(decoding: ecKey, as: UTF8.self), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"] {
            do {
                _ = try RS256Signer.sign(Array("x".utf8), privateKeyPEM: pem)
                Issue.record("signed with an unusable key")
            } catch {
                #expect(!"\(error)".contains("BEGIN") && !"\(error)".contains("not a key"))
            }
        }
    }

    @Test func subjectTokenFromAFileAsTextOrJSON() throws {
        let directory = try TemporaryDirectory(prefix: "subject")
        let text = directory.appending("token")
        try Data("  eyJ.subject.text\n".utf8).write(to: text)
        let json = directory.appending("token.json")
        try Data(#"{"id_token": "eyJ.subject.json", "other": 1}"#.utf8).write(to: json)
        let http = try CloudHTTPClient(logger: Logger(label: "test"))
        func source(_ body: String) throws -> GoogleCredentialsFile.CredentialSource {
            try JSONDecoder().decode(GoogleCredentialsFile.CredentialSource.self, from: Data(body.utf8))
        }
        #expect(try SubjectToken(source: source(#"{"file": "\#(text.path)"}"#), http: http).read() == "eyJ.subject.text")
        #expect(try SubjectToken(source: source(#"{"file": "\#(json.path)", "format": {"type": "json", "subject_token_field_name": "id_token"}}"#),
                                 http: http).read() == "eyJ.subject.json")
        #expect(throws: CloudAuthError.self) {
            try SubjectToken(source: source(#"{"environment_id": "aws1"}"#), http: http).read()
        }
        #expect(throws: CloudAuthError.self) {
            try SubjectToken(source: source(#"{"file": "\#(json.path)", "format": {"type": "json", "subject_token_field_name": "nope"}}"#),
                             http: http).read()
        }
    }

    @Test func awsProfilesMergeBothFiles() throws {
        let directory = try TemporaryDirectory(prefix: "aws-files")
        try Data("""
            [default]
            region = eu-west-1
            [profile ci]
            role_arn = arn:aws:iam::1:role/r
            source_profile = base
            s3 =
              max_concurrent_requests = 4
            [ci]
            ignored = because a bare name in the config file is not a profile
            """.utf8).write(to: directory.appending("config"))
        try Data("""
            [base]
            aws_access_key_id = AKIABASE
            aws_secret_access_key = secret
            [ci]
            role_arn = arn:aws:iam::1:role/from-credentials
            """.utf8).write(to: directory.appending("credentials"))
        let files = AWSProfileFiles(environment: [
            "AWS_CONFIG_FILE": directory.appending("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appending("credentials").path,
        ])
        #expect(files.profiles["default"]?["region"] == "eu-west-1")
        #expect(files.profiles["ci"]?["role_arn"] == "arn:aws:iam::1:role/from-credentials", "the credentials file wins")
        #expect(files.profiles["ci"]?["source_profile"] == "base")
        #expect(files.profiles["ci"]?["ignored"] == nil && files.profiles["ci"]?["max_concurrent_requests"] == nil)
        #expect(files.profiles["base"]?["aws_access_key_id"] == "AKIABASE")
        #expect(AWSProfileFiles.configPath(environment: ["HOME": "/h"]) == "/h/.aws/config")
    }
}
