import FoundationEssentials
import Logging

/// The credentials an AWS login starts from, tried in the order of the AWS
/// SDKs' default chain: the source's keys, the environment's keys (unless
/// `AWS_PROFILE` names a profile), web
/// identity from the environment, the profile of the shared files
/// (`AWS_PROFILE`, else `default`), ECS container credentials, then EC2
/// instance-profile credentials (IMDSv2, IMDSv1 when the token is refused).
struct AWSCredentialChain {
    /// `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`.
    var sourceKeys: AWSCredentials?
    var environment: [String: String]
    var endpoints: AWSEndpoints
    /// The region STS is called in for roles and web identity.
    var stsRegion: String
    var logger: Logger

    func resolve() throws(CloudAuthError) -> AWSCredentials {
        var tried: [String] = []
        if let sourceKeys { return sourceKeys }
        tried.append("source keys: not set")

        // A profile named explicitly wins over the environment's keys (which
        // it may use as its credential_source), as in botocore and the JS SDK.
        let profileNamed = environment["AWS_PROFILE"].map { !$0.isEmpty } == true
        if !profileNamed, let fromEnvironment = Self.environmentCredentials(environment) { return fromEnvironment }
        tried.append(profileNamed ? "environment keys: skipped, AWS_PROFILE is set"
                         : "environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set")

        if let webIdentity = WebIdentityCredentials.fromEnvironment(environment) {
            // Configured explicitly: its failure is the answer, as in the SDKs.
            logger.debug("using AWS web identity from AWS_WEB_IDENTITY_TOKEN_FILE for role \(webIdentity.roleARN)")
            return try webIdentity.fetch(sts: try sts())
        }
        tried.append("web identity: AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN not set")

        let files = AWSProfileFiles(environment: environment)
        let profile = SharedCredentialsFile.profile(environment: environment)
        if let credentials = try ProfileCredentials(files: files, chain: self).resolve(profile) {
            return credentials
        }
        if environment["AWS_PROFILE"].map({ !$0.isEmpty }) == true && files.profiles[profile] == nil {
            throw .configuration("AWS_PROFILE names profile '\(profile)', which "
                + (files.readFiles.isEmpty ? "no readable config or credentials file holds" : "is not in the \(files.readFiles.joined(separator: " or "))"))
        }
        tried.append(files.readFiles.isEmpty ? "shared config/credentials files: none readable"
                         : "\(files.readFiles.joined(separator: ", ")): no credentials for profile \(profile)")

        if let credentials = try containerCredentials() { return credentials }
        tried.append("container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI not set")

        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            tried.append("instance metadata: AWS_EC2_METADATA_DISABLED")
            throw .noCredentials(tried)
        }
        do {
            return try instanceMetadataCredentials()
        } catch {
            tried.append("instance metadata: \(error)")
            throw .noCredentials(tried)
        }
    }

    /// `aws_role_arn(s)`: each role assumed in turn with the previous credentials.
    func assumingRoles(_ roles: [String], startingFrom first: AWSCredentials) throws(CloudAuthError) -> AWSCredentials {
        logger.debug("using AWS \(first)")
        guard !roles.isEmpty else { return first }
        let sts = try sts()
        var credentials = first
        for role in roles {
            logger.debug("assuming role: \(role)")
            credentials = try sts.assumeRole(role, with: credentials, sessionName: STSClient.sessionName())
        }
        return credentials
    }

    /// STS in `stsRegion`, at `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` when set.
    func sts() throws(CloudAuthError) -> STSClient {
        STSClient(endpoint: try endpoints.sts(region: stsRegion), region: stsRegion, http: try CloudHTTPClient(logger: logger))
    }

    /// ECS / EKS Pod Identity credentials; nil when not configured.
    func containerCredentials() throws(CloudAuthError) -> AWSCredentials? {
        guard let (url, authorization) = try ContainerCredentials.endpoint(environment: environment) else { return nil }
        let http = try CloudHTTPClient(direct: true, connectTimeout: .seconds(2), stallTimeout: .seconds(5), logger: logger)
        return try ContainerCredentials(url: url, authorization: authorization, http: http).fetch()
    }

    func instanceMetadataCredentials() throws(CloudAuthError) -> AWSCredentials {
        let base = try endpoints.instanceMetadata()
        let http = try CloudHTTPClient(direct: true, connectTimeout: .seconds(1), stallTimeout: .seconds(2), attempts: 2,
                                       logger: logger)
        let allowV1 = environment["AWS_EC2_METADATA_V1_DISABLED"]?.lowercased() != "true"
        let credentials = try InstanceMetadataCredentials(base: base, http: http, allowV1: allowV1, logger: logger).fetch()
        logger.debug("using AWS credentials from the instance profile")
        return credentials
    }

    static func environmentCredentials(_ environment: [String: String]) -> AWSCredentials? {
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        guard let id = first("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"),
              let secret = first("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY") else { return nil }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: first("AWS_SESSION_TOKEN"),
                              origin: "environment")
    }
}
