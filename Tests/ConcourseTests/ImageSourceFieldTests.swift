@testable import Concourse
import Testing

/// `params.image_source` is read by `source`'s own parser, without `repository`.
@Suite struct ImageSourceFieldTests {
    @Test func imageSourceIsReadLikeSourceWithoutRepository() throws {
        let json = #"{"source":{"repository":"r.example/x"},"params":{"image":"get","platform_merge":true,"image_source":{"username":"u","password":"p","insecure":true}}}"#
        let request = try OutRequest(json: Array(json.utf8))
        #expect(request.params.platformMerge)
        #expect(request.params.imageSource?.username == "u")
        #expect(request.params.imageSource?.insecure == true)
        let google = #"{"source":{"repository":"r.example/x"},"params":{"image":"get","image_source":{"google_auth":true}}}"#
        #expect(try OutRequest(json: Array(google.utf8)).params.imageSource?.google.auth == true)
        let named = #"{"source":{"repository":"r.example/x"},"params":{"image":"get","image_source":{"repository":"a/b"}}}"#
        #expect(throws: RequestError.self) { try OutRequest(json: Array(named.utf8)) }
        let typo = #"{"source":{"repository":"r.example/x"},"params":{"image":"get","image_source":{"usernam":"u"}}}"#
        #expect(throws: RequestError.self) { try OutRequest(json: Array(typo.utf8)) }
    }
}
