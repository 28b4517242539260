import FoundationEssentials
import OCIModel

/// Web identity (EKS IRSA, any OIDC provider): the token in a file, traded
/// for a role's credentials with STS `AssumeRoleWithWebIdentity`. From the
/// environment (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`
/// [+ `AWS_ROLE_SESSION_NAME`]) or a profile's `web_identity_token_file` +
/// `role_arn` [+ `role_session_name`]. The file is read at each login: the
/// platform rotates it.
struct WebIdentityCredentials {
    let tokenFile: String
    let roleARN: String
    let sessionName: String?

    /// nil unless both variables are set.
    static func fromEnvironment(_ environment: [String: String]) -> WebIdentityCredentials? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let file = value("AWS_WEB_IDENTITY_TOKEN_FILE"), let role = value("AWS_ROLE_ARN") else { return nil }
        return WebIdentityCredentials(tokenFile: file, roleARN: role, sessionName: value("AWS_ROLE_SESSION_NAME"))
    }

    func fetch(sts: STSClient) throws(CloudAuthError) -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw .configuration("web identity token file '\(tokenFile)' cannot be read")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace(newlines: true)
        guard !token.isEmpty else { throw .configuration("web identity token file '\(tokenFile)' is empty") }
        return try sts.assumeRoleWithWebIdentity(roleARN, token: token, sessionName: sessionName ?? STSClient.sessionName())
    }
}
