import Foundation
import Testing
import TestSupport
@testable import CloudCredentials

/// The SigV4 signer against AWS's published test vectors (reproduced with
/// botocore) and against botocore's `SigV4Auth` on the requests ECR and STS
/// logins send, plus awkward paths, queries and headers.
@Suite struct SigV4SignerTests {
    static let example = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", origin: "test")
    static let amzDate = "20150830T123600Z"

    /// aws4_testsuite `get-vanilla`, `get-vanilla-query-order-key-case`, and
    /// the IAM ListUsers example of the SigV4 documentation.
    @Test(arguments: [
        ("service", "https://example.amazonaws.com/", [(name: "Host", value: "example.amazonaws.com")],
         "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("service", "https://example.amazonaws.com/?Param2=value2&Param1=value1",
         [(name: "Host", value: "example.amazonaws.com")],
         "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        ("iam", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
         [(name: "Host", value: "iam.amazonaws.com"),
          (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
         "content-type;host;x-amz-date", "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"),
    ])
    func publishedVectors(service: String, url: String, headers: [(name: String, value: String)],
                          signedHeaders: String, signature: String) throws {
        let signer = SigV4Signer(credentials: Self.example, region: "us-east-1", service: service)
        let authorization = signer.authorization(
            method: "GET", url: try #require(URL(string: url)),
            headers: headers + [(name: "X-Amz-Date", value: Self.amzDate)], body: [], amzDate: Self.amzDate)
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/\(service)/aws4_request, "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    struct Case: Encodable {
        let method: String
        let url: String
        let headers: [[String]]
        let body: String
        let accessKeyId: String
        let secretAccessKey: String
        let region: String
        let service: String
        let amzDate: String
    }

    @Test func matchesBotocoreOnTheSameRequests() throws {
        let withToken = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "s3cr3t/with+chars=",
                                       sessionToken: "FQoGZXIvYXdz//token+with/slashes==", origin: "test")
        let date = Date(timeIntervalSince1970: 1_764_590_400) // 2025-12-01T12:00:00Z
        let requests: [(AWSCredentials, String, String, String, [(name: String, value: String)], String)] = [
            (Self.example, "sts", "POST", "https://sts.eu-west-1.amazonaws.com/",
             [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
             "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fa&RoleSessionName=s&Version=2011-06-15"),
            (withToken, "ecr", "POST", "http://127.0.0.1:4566/",
             [(name: "Content-Type", value: "application/x-amz-json-1.1"),
              (name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken")], "{}"),
            (withToken, "service", "GET", "https://example.amazonaws.com/a%20b/c~d/%C3%A9/",
             [(name: "X-Custom", value: "  two   spaces  inside ")], ""),
            (Self.example, "service", "GET",
             "https://example.amazonaws.com/?b=2&a=z%20y&a=x&empty=&t%C3%A9st=%E2%9C%93&plus=a%2Bb&star=%2A",
             [], ""),
            (Self.example, "ecr", "POST", "https://api.ecr.cn-north-1.amazonaws.com.cn:8443/",
             [(name: "Content-Type", value: "application/x-amz-json-1.1")], #"{"registryIds":["1"]}"#),
        ]
        var cases: [Case] = []
        var ours: [String] = []
        for (credentials, service, method, text, headers, body) in requests {
            let url = try #require(URL(string: text))
            let region = text.contains("eu-west-1") ? "eu-west-1" : text.contains("cn-north-1") ? "cn-north-1" : "us-east-1"
            let signer = SigV4Signer(credentials: credentials, region: region, service: service)
            var signed = signer.signedHeaders(method: method, url: url, headers: headers, body: Array(body.utf8), date: date)
            let authorization = try #require(signed.last)
            #expect(authorization.name == "Authorization")
            signed.removeLast()
            ours.append(authorization.value)
            cases.append(Case(method: method, url: text, headers: signed.map { [$0.name, $0.value] }, body: body,
                              accessKeyId: credentials.accessKeyID, secretAccessKey: credentials.secretAccessKey,
                              region: region, service: service, amzDate: SigV4Signer.amzDate(date)))
        }
        let reference = try JSONDecoder().decode(
            [String].self,
            from: try ExternalCommand.check(
                ExternalCommand.awsPython, [TestPaths.standIns.appendingPathComponent("aws/sigv4_reference.py").path],
                stdin: try JSONEncoder().encode(cases)))
        #expect(reference.count == ours.count)
        for (mine, theirs) in zip(ours, reference) { #expect(mine == theirs) }
    }

    @Test func temporaryCredentialsSignTheSessionToken() throws {
        let credentials = AWSCredentials(accessKeyID: "ASIA1", secretAccessKey: "SECRETVALUE", sessionToken: "TOKENVALUE", origin: "test")
        let signed = SigV4Signer(credentials: credentials, region: "us-east-1", service: "ecr")
            .signedHeaders(method: "POST", url: try #require(URL(string: "https://api.ecr.us-east-1.amazonaws.com/")),
                           headers: [], body: [])
        #expect(signed.contains { $0.name == "X-Amz-Security-Token" && $0.value == "TOKENVALUE" })
        let authorization = try #require(signed.first { $0.name == "Authorization" }?.value)
        #expect(authorization.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
        #expect(!"\(credentials)".contains("TOKENVALUE") && !"\(credentials)".contains("SECRETVALUE"))
    }
}
