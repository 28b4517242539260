import Foundation
import Testing
import TestSupport

/// What the cloud login suites (ECR, ECR Public, GAR) stand on: a real TLS
/// docker-registry answering under the cloud registry's `host` name (reached
/// through a forward proxy that resolves that name to it), holding one image
/// `v1` whose rootfs is the file `hello` with `content`.
final class CloudRegistry: Sendable {
    let registry: TestRegistry
    let proxy: FaultProxy
    let image: PushedImage
    let content: String

    init(host: String, auth: TestRegistryOptions.Auth, username: String, password: String,
         repository: String, content: String) throws {
        registry = try TestRegistry(TestRegistryOptions(
            tls: true, auth: auth, username: username, password: password, extraHostNames: [host]))
        proxy = try FaultProxy(forwardProxy: (), resolving: [host: "127.0.0.1:\(registry.port)"])
        image = try push(ImageSpec(tag: "v1", layers: [LayerSpec([.file("hello", content)])]),
                         to: registry, repository: repository)
        self.content = content
    }

    /// The settings of a worker's AWS SDK, all unset or pointing nowhere, so a
    /// test gets only the credentials it names.
    static let noAmbientAWS = [
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
        "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_WEB_IDENTITY_TOKEN_FILE": "", "AWS_ROLE_ARN": "",
    ]

    /// `base` going through the resolving proxy, with `extra` over it.
    func environment(_ base: [String: String], _ extra: [String: String]) -> [String: String] {
        var environment = base
        environment["HTTPS_PROXY"] = proxy.baseURL.absoluteString
        environment.merge(extra) { $1 }
        return environment
    }

    /// A source for the image: `fields` with its tag and the registry's CA, and `extra` over them.
    func source(_ fields: [String: Any], _ extra: [String: Any]) -> [String: Any] {
        var source = fields
        source["tag"] = "v1"
        source["ca_certs"] = [registry.caCertificatePEM ?? ""]
        source.merge(extra) { $1 }
        return source
    }

    var roundTrip: CloudRoundTrip {
        CloudRoundTrip(registry: registry, digest: image.manifestDigest, file: "hello", content: content)
    }
}

/// A refused cloud login: exit 1 and one `error:` line, holding each of `fragments`
/// (the login that failed and why).
func expectOneLoginError(_ result: CommandResult, _ fragments: String...,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 1, sourceLocation: sourceLocation)
    let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
    #expect(errors.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(errors.first?.contains(fragment) == true, "\(result.stderr)", sourceLocation: sourceLocation)
    }
}
