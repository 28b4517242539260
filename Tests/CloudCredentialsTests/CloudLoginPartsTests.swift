import Foundation
import Logging
import Testing
import TestSupport
@testable import CloudCredentials

/// The small parsers and choices behind ECR and ACR logins (the flows
/// themselves are tested through the executable against moto and stand-ins).
@Suite struct CloudLoginPartsTests {
    @Test func sharedCredentialsFileProfiles() {
        let text = """
            # comment
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key=secretdefault
            [ci]
            aws_access_key_id = AKIACI
            aws_secret_access_key = secret/ci+x=
            aws_session_token = tok
            [half]
            aws_access_key_id = AKIAHALF
            """
        #expect(SharedCredentialsFile.credentials(text: text, profile: "default")?.secretAccessKey == "secretdefault")
        let ci = SharedCredentialsFile.credentials(text: text, profile: "ci")
        #expect(ci?.accessKeyID == "AKIACI" && ci?.secretAccessKey == "secret/ci+x=" && ci?.sessionToken == "tok")
        #expect(SharedCredentialsFile.credentials(text: text, profile: "half") == nil)
        #expect(SharedCredentialsFile.credentials(text: text, profile: "absent") == nil)
        #expect(SharedCredentialsFile.path(environment: ["HOME": "/h"]) == "/h/.aws/credentials")
        #expect(SharedCredentialsFile.profile(environment: ["AWS_PROFILE": ""]) == "default")
    }

    @Test func profilesThatCannotWorkAreNamedBeforeAnyRequest() throws {
        let directory = try TemporaryDirectory(prefix: "aws-profiles")
        let config = directory.appending("config")
        try Data("""
            [profile sso]
            sso_session = corp
            sso_account_id = 111122223333
            [profile loop-a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = loop-a
            [profile lonely]
            role_arn = arn:aws:iam::1:role/c
            [profile odd]
            role_arn = arn:aws:iam::1:role/d
            credential_source = Somewhere
            """.utf8).write(to: config)
        for (profile, fragment) in [("sso", "IAM Identity Center"), ("loop-a", "loop through source_profile"),
                                    ("lonely", "neither source_profile"), ("odd", "unknown credential_source 'Somewhere'"),
                                    ("missing", "AWS_PROFILE names profile 'missing'")] {
            let chain = AWSCredentialChain(
                sourceKeys: nil,
                environment: ["AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
                              "AWS_PROFILE": profile, "AWS_EC2_METADATA_DISABLED": "true",
                              "AWS_ENDPOINT_URL": "http://127.0.0.1:9"],
                endpoints: AWSEndpoints(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"]), stsRegion: "us-east-1",
                logger: Logger(label: "test"))
            do {
                _ = try chain.resolve()
                Issue.record("profile \(profile) resolved")
            } catch {
                #expect("\(error)".contains(fragment), "\(profile): \(error)")
            }
        }
    }

    @Test func endpointsFollowTheSDKVariables() throws {
        let specific = AWSEndpoints(environment: ["AWS_ENDPOINT_URL_ECR": "http://ecr.local:1", "AWS_ENDPOINT_URL": "http://all:2"])
        #expect(try specific.ecr(region: "eu-west-1").absoluteString == "http://ecr.local:1")
        #expect(try specific.sts(region: "eu-west-1").absoluteString == "http://all:2")
        let none = AWSEndpoints(environment: [:])
        #expect(try none.ecr(region: "eu-west-1").absoluteString == "https://api.ecr.eu-west-1.amazonaws.com")
        #expect(try none.sts(region: "cn-north-1").absoluteString == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(try none.instanceMetadata().absoluteString == "http://169.254.169.254")
        #expect(try AWSEndpoints(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"]).instanceMetadata()
            .absoluteString == "http://[fd00:ec2::254]")
        #expect(try AWSEndpoints(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6",
                                               "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"])
            .instanceMetadata().absoluteString == "http://127.0.0.1:9")
        #expect(throws: CloudAuthError.self) { try AWSEndpoints(environment: ["AWS_ENDPOINT_URL": "ftp://x"]).ecr(region: "r") }
    }

    @Test func acrTenantFromTheChallenge() {
        #expect(ACRLogin.tenant(fromChallenges: [
            #"Bearer realm="https://r.azurecr.io/oauth2/token?tenant=t-1&x=y",service="r.azurecr.io""#,
        ]) == "t-1")
        #expect(ACRLogin.tenant(fromChallenges: [#"Bearer realm="https://r.azurecr.io/oauth2/exchange?tenant=t-2",service="r""#]) == "t-2")
        #expect(ACRLogin.tenant(fromChallenges: [#"Bearer realm="https://r.azurecr.io/oauth2/token",service="r""#]) == "common")
        #expect(ACRLogin.tenant(fromChallenges: []) == "common")
    }

    @Test func azureCloudFromDomainOrName() {
        #expect(AzureCloud.detect(registryHost: "x.azurecr.io") == .azurePublic)
        #expect(AzureCloud.detect(registryHost: "X.AZURECR.US:443") == .azureGovernment)
        #expect(AzureCloud.detect(registryHost: "x.azurecr.cn") == .azureChina)
        #expect(AzureCloud.detect(registryHost: "registry.example.com") == .azurePublic)
        #expect(AzureCloud(rawValue: "AzureGovernment")?.managementResource == "https://management.usgovcloudapi.net")
    }

    @Test func managedIdentityRequestKeepsTheEndpointsQuery() throws {
        let appService = ManagedIdentityToken(
            resource: "https://management.azure.com", clientID: "c i", environment: [
                "IDENTITY_ENDPOINT": "http://127.0.0.1:1/msi/token?a=b", "IDENTITY_HEADER": "h",
            ], logger: Logger(label: "test"))
        let (url, headers, _) = try appService.request()
        #expect(url.absoluteString
            == "http://127.0.0.1:1/msi/token?a=b&api-version=2019-08-01&resource=https%3A%2F%2Fmanagement.azure.com&client_id=c%20i")
        #expect(headers.map(\.name) == ["X-IDENTITY-HEADER"])
        let imds = ManagedIdentityToken(resource: "https://management.azure.com", clientID: nil,
                                        environment: ["AZURE_POD_IDENTITY_AUTHORITY_HOST": "http://10.0.0.1:2/"],
                                        logger: Logger(label: "test"))
        let (imdsURL, imdsHeaders, _) = try imds.request()
        #expect(imdsURL.absoluteString
            == "http://10.0.0.1:2/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com")
        #expect(imdsHeaders.map(\.value) == ["true"])
    }

    @Test func ecrAuthorizationTokenSplitsAtTheFirstColon() throws {
        // Tokens base64-encoded by coreutils' base64.
        let plain = try #require(try ECRAuthorizationToken.parts("QVdTOnB3IA==", what: "t"))
        #expect(plain.user == "AWS" && plain.password == "pw")
        let twoColons = try #require(try ECRAuthorizationToken.parts("QVdTOmE6Yg==", what: "t"))
        #expect(twoColons.user == "AWS" && twoColons.password == "a:b")
        #expect(try ECRAuthorizationToken.parts("bm9jb2xvbg==", what: "t") == nil)
        #expect(throws: CloudAuthError.self) { try ECRAuthorizationToken.parts("not base64!", what: "t") }
    }

    @Test func errorBodiesAreSummarisedWithoutTokens() {
        #expect(AWSErrorBody.summary("<ErrorResponse><Error><Code>AccessDenied</Code><Message>no &amp; no</Message></Error></ErrorResponse>")
            == "AccessDenied: no & no")
        #expect(AWSErrorBody.summary(#"{"__type":"com.amazon#UnrecognizedClientException","message":"bad key"}"#)
            == "UnrecognizedClientException: bad key")
        let snippet = ResponseSnippet.of(Data(#"{"refresh_token":"rt-SECRET","error":"x"}"#.utf8))
        #expect(!snippet.contains("rt-SECRET") && snippet.contains("REDACTED"))
        // IAM credentials' camelCase token and OAuth's client secret too.
        let camel = ResponseSnippet.of(Data(#"{"accessToken":"ya29-SECRET","client_secret":"cs-SECRET"}"#.utf8))
        #expect(!camel.contains("SECRET"))
    }
}
