import Foundation
import TestSupport
import Testing

/// Every bad field of the Concourse contract, sent to the executable: exit
/// status 1, nothing on stdout, and exactly one stderr line that names the
/// field — before any network traffic (the repository host does not exist).
@Suite("Request errors")
struct RequestErrorsTests {
    struct Case: CustomStringConvertible, Sendable {
        let command: String
        let request: String
        /// Text the one error line must contain (the field and the rule broken).
        let expected: [String]
        var description: String { "\(command) \(request)" }
    }

    static let repo = #""repository":"127.0.0.1:9/none""#
    static let version = #""version":{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}"#

    static let cases: [Case] = [
        // Shape of the document.
        Case(command: "check", request: "{not json", expected: ["invalid request"]),
        Case(command: "check", request: "[]", expected: ["'request'", "object", "array"]),
        Case(command: "check", request: "{}", expected: ["missing required field", "'source.repository'"]),
        Case(command: "check", request: #"{"source":{}}"#, expected: ["missing required field", "'source.repository'"]),
        Case(command: "check", request: #"{"source":{"repository":""}}"#, expected: ["'source.repository'"]),
        Case(command: "check", request: #"{"source":"x"}"#, expected: ["'source'", "object", "string"]),
        Case(command: "check", request: #"{"source":{\#(repo)},"extra":1}"#, expected: ["unknown field 'extra'"]),
        // Source fields: unknown names (typos) and wrong types.
        Case(command: "check", request: #"{"source":{\#(repo),"tags":"v1"}}"#, expected: ["unknown field 'source.tags'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"tag":true}}"#, expected: ["'source.tag'", "string or number", "boolean"]),
        Case(command: "check", request: #"{"source":{\#(repo),"insecure":"yes"}}"#, expected: ["'source.insecure'", "boolean"]),
        Case(command: "check", request: #"{"source":{\#(repo),"debug":1}}"#, expected: ["'source.debug'", "boolean"]),
        Case(command: "check", request: #"{"source":{\#(repo),"pre_releases":"true"}}"#, expected: ["'source.pre_releases'", "boolean"]),
        Case(command: "check", request: #"{"source":{\#(repo),"created_at_sort":0}}"#, expected: ["'source.created_at_sort'", "boolean"]),
        Case(command: "check", request: #"{"source":{\#(repo),"ca_certs":"pem"}}"#, expected: ["'source.ca_certs'", "array of strings"]),
        Case(command: "check", request: #"{"source":{\#(repo),"ca_certs":[1]}}"#, expected: ["'source.ca_certs[0]'", "string"]),
        Case(command: "check", request: #"{"source":{\#(repo),"pre_release_prefixes":[true]}}"#, expected: ["'source.pre_release_prefixes[0]'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"username":5}}"#, expected: ["'source.username'", "string"]),
        Case(command: "check", request: #"{"source":{\#(repo),"password":[]}}"#, expected: ["'source.password'", "string"]),
        Case(command: "check", request: #"{"source":{\#(repo),"tag_regex":3}}"#, expected: ["'source.tag_regex'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"variant":{}}}"#, expected: ["'source.variant'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"semver_constraint":1}}"#, expected: ["'source.semver_constraint'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"label_regex":false}}"#, expected: ["'source.label_regex'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"annotation_regex":null,"x":1}}"#, expected: ["unknown field 'source.x'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"tag":"v1","tag_regex":"v.*"}}"#, expected: ["'source.tag_regex'", "'tag'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"registry_mirror":{}}}"#, expected: ["'source.registry_mirror.host'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"registry_mirror":{"host":"m","hots":"n"}}}"#, expected: ["unknown field 'source.registry_mirror.hots'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"platform":{"os":"linux","arch":"arm64"}}}"#, expected: ["unknown field 'source.platform.arch'"]),
        Case(command: "check", request: #"{"source":{\#(repo),"platform":"linux/amd64"}}"#, expected: ["'source.platform'", "object"]),
        // Cloud fields: decoded and checked; what is out of scope is refused by name.
        Case(command: "check", request: #"{"source":{\#(repo),"aws_region":"eu","aws_role_arn":"a","aws_role_arns":["b"]}}"#, expected: ["'source.aws_role_arns'", "`aws_role_arn` cannot be set at the same time as `aws_role_arns`"]),
        Case(command: "check", request: #"{"source":{\#(repo),"aws_role_arns":"a"}}"#, expected: ["'source.aws_role_arns'", "array"]),
        Case(command: "check", request: #"{"source":{\#(repo),"aws_region":5}}"#, expected: ["'source.aws_region'", "string"]),
        Case(command: "check", request: #"{"source":{\#(repo),"azure_acr":"yes"}}"#, expected: ["'source.azure_acr'", "boolean"]),
        Case(command: "check", request: #"{"source":{\#(repo),"azure_client_secret":"s"}}"#, expected: ["'source.azure_client_secret'", "not supported by this resource", "managed identity"]),
        Case(command: "check", request: #"{"source":{\#(repo),"content_trust":{"server":"x"}}}"#, expected: ["'source.content_trust'", "not supported by this resource", "notary"]),
        // Version.
        Case(command: "check", request: #"{"source":{\#(repo)},"version":{"tag":"v1"}}"#, expected: ["'version.digest'"]),
        Case(command: "check", request: #"{"source":{\#(repo)},"version":{"digest":"d","ref":"x"}}"#, expected: ["unknown field 'version.ref'"]),
        Case(command: "in", request: #"{"source":{\#(repo)}}"#, expected: ["missing required field", "'version'"]),
        Case(command: "in", request: #"{"source":{\#(repo)},"version":{"digest":"sha256:xyz"}}"#, expected: ["'version.digest'"]),
        Case(command: "in", request: #"{"source":{\#(repo)},"version":{"digest":"md5:00"}}"#, expected: ["'version.digest'"]),
        // in params.
        Case(command: "in", request: #"{"source":{\#(repo)},\#(version),"params":{"format":"zip"}}"#, expected: ["'params.format'", "zip", "rootfs"]),
        Case(command: "in", request: #"{"source":{\#(repo)},\#(version),"params":{"skip_download":"yes"}}"#, expected: ["'params.skip_download'", "boolean"]),
        Case(command: "in", request: #"{"source":{\#(repo)},\#(version),"params":{"formt":"oci"}}"#, expected: ["unknown field 'params.formt'"]),
        Case(command: "in", request: #"{"source":{\#(repo)},\#(version),"params":{"platform":{"os":1}}}"#, expected: ["'params.platform.os'"]),
        Case(command: "in", request: #"{"source":{\#(repo)},\#(version),"params":{"aws_access_key_id":"k"}}"#, expected: ["'params.aws_access_key_id'", "not supported by this resource"]),
        // out params.
        Case(command: "out", request: #"{"source":{\#(repo)}}"#, expected: ["'params.image'"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{}}"#, expected: ["'params.image'"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{"image":"i","tag_prefix":"p"}}"#, expected: ["tag_prefix can only be used when additional_tags are specified", "'params.tag_prefix'"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{"image":"i","bump_aliases":"true"}}"#, expected: ["'params.bump_aliases'", "boolean"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{"image":"i","version":true}}"#, expected: ["'params.version'"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{"image":"i","additional_tags":["a"]}}"#, expected: ["'params.additional_tags'"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{"image":"i","imag":"j"}}"#, expected: ["unknown field 'params.imag'"]),
        Case(command: "out", request: #"{"source":{\#(repo)},"params":{"image":"i","azure_acr":true}}"#, expected: ["'params.azure_acr'", "not supported by this resource"]),
    ]

    @Test(arguments: cases) func rejectedWithOneLine(_ item: Case) throws {
        let scratch = try TemporaryDirectory(prefix: "request-errors")
        let arguments = item.command == "check" ? ["check"] : [item.command, scratch.path]
        let result = try ResourceRunner.run(arguments, stdin: Data(item.request.utf8))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "stdout: \(result.stdoutString)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("error: "))
        for text in item.expected {
            #expect(line.contains(text), "\(line) lacks \(text)")
        }
        // `in` writes nothing for a request it refuses.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []) == [])
    }
}
