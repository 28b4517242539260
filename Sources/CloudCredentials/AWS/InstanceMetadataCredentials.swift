import FoundationEssentials
import Logging
import OCIModel
import RegistryClient

/// EC2 instance-profile credentials: IMDSv2 (`PUT /latest/api/token` for a
/// session token, sent with every request), then the role name and its
/// credentials from `/latest/meta-data/iam/security-credentials/`. When the
/// token request is refused with an HTTP status (IMDSv1-only services and
/// some proxies), the SDKs fall back to IMDSv1 (the same GETs without a
/// token) unless `AWS_EC2_METADATA_V1_DISABLED=true`. Metadata is
/// link-local: never proxied, quick to give up.
struct InstanceMetadataCredentials {
    let base: URL
    let http: CloudHTTPClient
    var allowV1 = true
    let logger: Logger

    static let tokenTTLSeconds = "21600"

    func fetch() throws(CloudAuthError) -> AWSCredentials {
        let tokenResponse = try http.send(HTTPRequest(
            method: .put, url: url("latest/api/token"),
            headers: [(name: "X-aws-ec2-metadata-token-ttl-seconds", value: Self.tokenTTLSeconds)], body: Data()),
            what: "instance metadata token (PUT \(base.absoluteString)/latest/api/token)")
        let header: [(name: String, value: String)]
        if tokenResponse.isSuccess {
            let token = String(decoding: tokenResponse.body, as: UTF8.self).trimmingWhitespace(newlines: true)
            guard !token.isEmpty else { throw .badResponse(what: "instance metadata token request", reason: "empty token") }
            header = [(name: "X-aws-ec2-metadata-token", value: token)]
        } else if allowV1 {
            logger.debug("instance metadata token request returned HTTP \(tokenResponse.status): falling back to IMDSv1")
            header = []
        } else {
            throw .refused(what: "instance metadata token request (IMDSv1 fallback off: AWS_EC2_METADATA_V1_DISABLED)",
                           status: tokenResponse.status, detail: "")
        }

        let rolesPath = "latest/meta-data/iam/security-credentials/"
        let roles = try http.send(HTTPRequest(method: .get, url: url(rolesPath), headers: header),
                                  what: "instance metadata role lookup")
        guard roles.isSuccess else {
            throw .refused(what: "instance metadata role lookup (is an instance profile attached?)",
                           status: roles.status, detail: "")
        }
        guard let role = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map({ $0.trimmingWhitespace() }).first(where: { !$0.isEmpty }) else {
            throw .badResponse(what: "instance metadata role lookup", reason: "no role attached to this instance")
        }
        let what = "instance metadata credentials for role \(role)"
        let credentials = try http.send(
            HTTPRequest(method: .get, url: url(rolesPath + SigV4Signer.encode(role, keepSlash: false)), headers: header),
            what: what)
        guard credentials.isSuccess else { throw .refused(what: what, status: credentials.status, detail: "") }
        return try MetadataCredentialsDocument.credentials(
            from: credentials.body, what: what, origin: "instance profile \(role)")
    }

    private func url(_ path: String) -> URL {
        let text = base.absoluteString.hasSuffix("/") ? base.absoluteString + path : base.absoluteString + "/" + path
        return URL(string: text) ?? base
    }
}
