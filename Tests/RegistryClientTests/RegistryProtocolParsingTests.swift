import Foundation
@testable import OCIModel
@testable import RegistryClient
import Testing

@Suite struct RegistryProtocolParsingTests {
    @Test func bearerChallenge() {
        let challenges = AuthChallenge.parse(
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#)
        #expect(challenges == [AuthChallenge(scheme: "bearer", parameters: [
            "realm": "https://auth.docker.io/token", "service": "registry.docker.io",
            "scope": "repository:library/alpine:pull"])])
    }

    @Test func basicChallengeAndCase() {
        let challenges = AuthChallenge.parse(#"BASIC Realm="Registry Realm""#)
        #expect(challenges.count == 1)
        #expect(challenges.first?.scheme == "basic")
        #expect(challenges.first?.realm == "Registry Realm")
    }

    @Test func severalChallengesEscapesAndTokens() {
        let challenges = AuthChallenge.parse(
            #"Basic realm="a\"b", Bearer realm="https://t/x?a=1,b", service=svc , error="insufficient_scope""#)
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges[0].realm == #"a"b"#)
        #expect(challenges[1].realm == "https://t/x?a=1,b")
        #expect(challenges[1].parameters["service"] == "svc")
        #expect(challenges[1].parameters["error"] == "insufficient_scope")
    }

    @Test func emptyOrGarbageChallenge() {
        #expect(AuthChallenge.parse("").isEmpty)
        #expect(AuthChallenge.parse("Negotiate").map(\.scheme) == ["negotiate"])
    }

    @Test func linkNextRelative() throws {
        let base = try #require(URL(string: "https://r.example:5000/v2/a/b/tags/list?n=2"))
        let next = LinkHeader.next(in: [#"</v2/a/b/tags/list?last=t2&n=2>; rel="next""#], relativeTo: base)
        #expect(next?.absoluteString == "https://r.example:5000/v2/a/b/tags/list?last=t2&n=2")
    }

    @Test func linkNextAbsoluteAmongOthers() throws {
        let base = try #require(URL(string: "https://r.example/v2/x/tags/list"))
        let header = #"<https://other/prev?a=1,2>; rel="prev", <https://cdn.example/page2>; rel=next"#
        #expect(LinkHeader.next(in: [header], relativeTo: base)?.absoluteString == "https://cdn.example/page2")
        #expect(LinkHeader.next(in: [#"<https://x/p>; rel="prev""#], relativeTo: base) == nil)
        #expect(LinkHeader.next(in: [], relativeTo: base) == nil)
    }

    @Test func ociErrorBody() {
        let body = Data(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}"#.utf8)
        #expect(RegistryErrorBody.message(from: body, fallback: "f") == "MANIFEST_UNKNOWN: manifest unknown")
        #expect(RegistryErrorBody.codes(in: body) == ["MANIFEST_UNKNOWN"])
        #expect(RegistryErrorBody.message(from: Data(), fallback: "HTTP 500") == "HTTP 500")
        #expect(RegistryErrorBody.message(from: Data("<html>\nBad gateway".utf8), fallback: "f") == "<html>")
        #expect(RegistryErrorBody.message(from: Data(#"{"details":"incorrect username or password"}"#.utf8), fallback: "f")
                == "incorrect username or password")
    }

    @Test func bearerTokenResponse() throws {
        let now = ContinuousClock.now
        let token = try #require(BearerToken.parse(Data(#"{"access_token":"abc","expires_in":300}"#.utf8), receivedAt: now))
        #expect(token.value == "abc")
        #expect(token.expires > now + .seconds(280) && token.expires < now + .seconds(300))
        #expect(BearerToken.parse(Data(#"{"token":"t"}"#.utf8))?.value == "t")
        #expect(BearerToken.parse(Data(#"{"nothing":1}"#.utf8)) == nil)
    }

    @Test func contentRange() {
        #expect(ContentRange.start("bytes 100-199/200") == 100)
        #expect(ContentRange.start("bytes 0-0/*") == 0)
        #expect(ContentRange.start("bytes */200") == nil)
        #expect(ContentRange.start("items 1-2/3") == nil)
    }

    @Test func manifestMediaTypeResolution() {
        #expect(ManifestMediaType.resolve(contentType: "application/vnd.oci.image.index.v1+json; charset=utf-8", body: nil)
                == MediaType.ociIndex)
        #expect(ManifestMediaType.resolve(contentType: "application/json", body: Data(#"{"manifests":[]}"#.utf8))
                == MediaType.ociIndex)
        #expect(ManifestMediaType.resolve(contentType: nil, body: Data(#"{"mediaType":"x/y","layers":[]}"#.utf8)) == "x/y")
    }

    @Test func logRedactionHidesSignatures() throws {
        let url = try #require(URL(string: "https://u:p@cdn.example/blob?X-Amz-Signature=secret&n=5"))
        let logged = url.redactedForLog
        #expect(!logged.contains("secret"))
        #expect(!logged.contains("u:p"))
        #expect(logged.contains("n=5"))
    }
}
