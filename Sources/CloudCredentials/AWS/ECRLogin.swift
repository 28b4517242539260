import FoundationEssentials
import Logging

/// Upstream's ECR flow: credentials from the chain, STS `AssumeRole` for each
/// role in turn (each with the previous credentials), ECR
/// `GetAuthorizationToken`, then user `AWS` with the decoded password. The
/// repository gains the registry host: `<account>.dkr.ecr.<region>.amazonaws.com`
/// with `aws_account_id`, else the host of the returned `proxyEndpoint`.
public struct ECRLogin: Sendable, Equatable {
    public var region: String
    public var accountID: String?
    /// The source's `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`.
    public var sourceKeys: AWSCredentials?
    /// `aws_role_arn`, or `aws_role_arns` in order.
    public var roleARNs: [String]
    public var repository: String

    public init(region: String, accountID: String?, sourceKeys: AWSCredentials?, roleARNs: [String], repository: String) {
        self.region = region
        self.accountID = accountID
        self.sourceKeys = sourceKeys
        self.roleARNs = roleARNs
        self.repository = repository
    }

    public func login(environment: [String: String], logger: Logger) throws(CloudAuthError) -> CloudLoginResult {
        let endpoints = AWSEndpoints(environment: environment)
        let chain = AWSCredentialChain(sourceKeys: sourceKeys, environment: environment,
                                       endpoints: endpoints, stsRegion: region, logger: logger)
        let credentials = try chain.assumingRoles(roleARNs, startingFrom: try chain.resolve())
        let http = try CloudHTTPClient(logger: logger)
        let ecr = ECRClient(endpoint: try endpoints.ecr(region: region), region: region, http: http)
        let authorization = try ecr.authorizationToken(with: credentials)
        let repository: String
        if let account = accountID {
            repository = "\(account).dkr.ecr.\(region).amazonaws.com/\(self.repository)"
        } else {
            repository = "\(authorization.proxyHost)/\(self.repository)"
        }
        logger.debug("authenticated to ECR as AWS for \(repository)")
        return CloudLoginResult(username: "AWS", password: authorization.password, repository: repository)
    }
}
