@testable import Concourse
@testable import ResourceCore
import Testing

@Suite struct RequestDecodingTests {
    private func check(_ json: String) throws(RequestError) -> CheckRequest {
        try CheckRequest(json: Array(json.utf8))
    }

    @Test func decodesFullSource() throws {
        let request = try check("""
        {"source": {"repository": "127.0.0.1:5000/a/b", "tag": "latest", "username": "u", "password": "p",
          "insecure": true, "ca_certs": ["PEM"], "variant": "alpine", "pre_releases": true,
          "pre_release_prefixes": ["dev"], "semver_constraint": "~1.2", "debug": true,
          "registry_mirror": {"host": "mirror:5000", "username": "mu", "password": "mp"},
          "platform": {"os": "linux", "architecture": "arm64/v8"}, "label_regex": "^org", "annotation_regex": "x"},
         "version": {"tag": "1.0", "digest": "sha256:abc"}}
        """)
        #expect(request.source.repository == "127.0.0.1:5000/a/b")
        #expect(request.source.versions.tag == "latest")
        #expect(request.source.insecure)
        #expect(request.source.caCerts == ["PEM"])
        #expect(request.source.versions.preReleasePrefixes == ["dev"])
        #expect(request.source.registryMirror?.host == "mirror:5000")
        #expect(request.source.platform?.architecture == "arm64/v8")
        #expect(request.version == ResourceVersion(tag: "1.0", digest: "sha256:abc"))
    }

    @Test func keepsNumericTagLiteral() throws {
        let request = try check(#"{"source": {"repository": "r", "tag": 1.10}}"#)
        #expect(request.source.versions.tag == "1.10")
    }

    @Test func versionMayHoldOnlyDigest() throws {
        let request = try check(#"{"source": {"repository": "r"}, "version": {"digest": "sha256:x"}}"#)
        #expect(request.version?.tag == nil)
        #expect(request.version?.digest == "sha256:x")
    }

    @Test(arguments: [
        (#"{"source": {"repository": "r", "tagg": "x"}}"#, RequestError.unknownField("source.tagg")),
        (#"{"source": {"repository": "r"}, "extra": 1}"#, .unknownField("extra")),
        (#"{"source": {"tag": "x"}}"#, .missingField("source.repository")),
        (#"{}"#, .missingField("source.repository")),
        (#"{"source": {"repository": 5}}"#, .wrongType(field: "source.repository", expected: "string", found: "number")),
        (#"{"source": {"repository": "r", "insecure": "yes"}}"#, .wrongType(field: "source.insecure", expected: "boolean", found: "string")),
        (#"{"source": {"repository": "r", "registry_mirror": {"host": "h", "hots": 1}}}"#, .unknownField("source.registry_mirror.hots")),
        (#"{"source": {"repository": "r", "ca_certs": [1]}}"#, .wrongType(field: "source.ca_certs[0]", expected: "string", found: "number")),
        (#"[]"#, .wrongType(field: "request", expected: "object", found: "array")),
    ])
    func rejectsBadFields(json: String, expected: RequestError) {
        #expect(throws: expected) { try check(json) }
    }

    @Test(arguments: ["{", #"{"source": }"#, "", #"{"a":1}x"#, #"{"a":1,"a":2}"#])
    func rejectsMalformedJSON(json: String) {
        do {
            _ = try check(json)
            Issue.record("accepted malformed JSON")
        } catch {
            guard case .malformedJSON = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.hasPrefix("invalid request: malformed JSON"))
        }
    }

    @Test func decodesCloudFieldsAndRefusesContentTrust() throws {
        let source = try check(#"""
            {"source": {"repository": "r", "aws_region": "eu-west-1", "aws_access_key_id": "AKID",
             "aws_secret_access_key": "s", "aws_session_token": "t", "aws_account_id": "123",
             "aws_role_arns": ["a", "b"], "aws_ecr_registry_id": "9",
             "azure_acr": true, "azure_client_id": "c", "azure_tenant_id": "t1", "azure_environment": "AzureChina"}}
            """#).source
        #expect(source.aws.requestsECRLogin)
        #expect(source.aws.rolesToAssume == ["a", "b"])
        #expect(source.aws.sourceKeys?.sessionToken == "t")
        #expect(source.aws.ecrRegistryID == "9")
        #expect(source.azure == AzureSourceFields(acr: true, clientID: "c", tenantID: "t1", environment: "AzureChina"))
        #expect(throws: RequestError.invalidValue(
            field: "source.aws_role_arns", reason: "`aws_role_arn` cannot be set at the same time as `aws_role_arns`")) {
            try check(#"{"source": {"repository": "r", "aws_region": "x", "aws_role_arn": "a", "aws_role_arns": ["b"]}}"#)
        }
        #expect(throws: RequestError.unsupported(field: "source.content_trust", reason: CloudFields.contentTrustReason)) {
            try check(#"{"source": {"repository": "r", "content_trust": {"server": "x"}}}"#)
        }
        #expect(throws: RequestError.unsupported(field: "source.azure_client_secret", reason: CloudFields.azureUnknownReason)) {
            try check(#"{"source": {"repository": "r", "azure_client_secret": "s"}}"#)
        }
        // Empty values are what templated pipelines send when unset.
        #expect(try !check(#"{"source": {"repository": "r", "aws_region": ""}}"#).source.aws.requestsECRLogin)
    }

    @Test func decodesInRequest() throws {
        let request = try InRequest(json: Array(#"""
        {"source": {"repository": "r"}, "version": {"tag": "t", "digest": "sha256:d"},
         "params": {"format": "oci-layout", "skip_download": true, "platform": {"os": "linux", "architecture": "arm64"}}}
        """#.utf8))
        #expect(request.params.format == .ociLayout)
        #expect(request.params.skipDownload)
        #expect(request.params.platform?.os == "linux")
    }

    @Test func rejectsUnknownFormat() {
        #expect(throws: RequestError.invalidValue(field: "params.format", reason: "unknown format 'tarball' (valid: rootfs, oci, oci-layout)")) {
            try InRequest(json: Array(#"{"source": {"repository": "r"}, "version": {"digest": "d"}, "params": {"format": "tarball"}}"#.utf8))
        }
        #expect(throws: RequestError.missingField("version")) {
            try InRequest(json: Array(#"{"source": {"repository": "r"}}"#.utf8))
        }
    }

    @Test func decodesOutRequest() throws {
        let request = try OutRequest(json: Array(#"""
        {"source": {"repository": "r"}, "params": {"image": "img/*.tar", "version": 1.2, "bump_aliases": true,
         "additional_tags": "tags", "tag_prefix": "v"}}
        """#.utf8))
        #expect(request.params.image == "img/*.tar")
        #expect(request.params.version == "1.2")
        #expect(request.params.tagPrefix == "v")
        #expect(throws: RequestError.upstreamWording(
            message: "tag_prefix can only be used when additional_tags are specified", field: "params.tag_prefix")) {
            try OutRequest(json: Array(#"{"source": {"repository": "r"}, "params": {"image": "i", "tag_prefix": "v"}}"#.utf8))
        }
    }

    @Test func checkVersionWithOnlyADigestIsAccepted() throws {
        // Concourse may hold one (moved from the check planner's tests).
        let request = try CheckRequest(json: Array(#"{"source":{"repository":"x"},"version":{"digest":"sha256:y"}}"#.utf8))
        #expect(request.version == ResourceVersion(tag: nil, digest: "sha256:y"))
    }

    @Test func parsesUnicodeEscapes() throws {
        let value = try JSONParser.parse(Array(#"{"k": "a\u00e9\ud83d\ude00\n"}"#.utf8))
        #expect(value == .object([(key: "k", value: .string("aé😀\n"))]))
    }
}
