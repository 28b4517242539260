import FoundationEssentials
import Logging

/// Amazon ECR Public (`public.ecr.aws/<alias>/<repo>`): with AWS credentials
/// (the source's keys, else any source of the chain) and the roles after
/// them, `ecr-public:GetAuthorizationToken` in us-east-1 gives user `AWS` and
/// a password, needed to push and lifting anonymous pull limits. Without any
/// credentials, nil: the registry's own token endpoint serves anonymous pulls;
/// also nil (with a warning) when the worker's ambient credentials are
/// refused, so that an unrelated instance profile never breaks public pulls.
/// Source keys or roles that are refused are an error.
public struct ECRPublicLogin: Sendable, Equatable {
    public static let registryHost = "public.ecr.aws"
    /// ECR Public's API (and so STS for its roles) lives in us-east-1 only.
    public static let apiRegion = "us-east-1"

    /// The source's `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`.
    public var sourceKeys: AWSCredentials?
    /// `aws_role_arn`, or `aws_role_arns` in order.
    public var roleARNs: [String]
    public var repository: String

    public init(sourceKeys: AWSCredentials?, roleARNs: [String], repository: String) {
        self.sourceKeys = sourceKeys
        self.roleARNs = roleARNs
        self.repository = repository
    }

    public static func isECRPublic(registry: String) -> Bool { registry.lowercased() == registryHost }

    public func login(environment: [String: String], logger: Logger) throws(CloudAuthError) -> CloudLoginResult? {
        let endpoints = AWSEndpoints(environment: environment)
        let chain = AWSCredentialChain(sourceKeys: sourceKeys, environment: environment, endpoints: endpoints,
                                       stsRegion: Self.apiRegion, logger: logger)
        let first: AWSCredentials
        do {
            first = try chain.resolve()
        } catch .noCredentials(let tried) {
            guard roleARNs.isEmpty else { throw .noCredentials(tried) }
            logger.debug("no AWS credentials for ECR Public, pulling anonymously (tried: \(tried.joined(separator: "; ")))")
            return nil
        }
        let credentials = try chain.assumingRoles(roleARNs, startingFrom: first)
        let password: String
        do {
            password = try ECRPublicClient(endpoint: try endpoints.ecrPublic(), http: try CloudHTTPClient(logger: logger))
                .password(with: credentials)
        } catch .refused(let what, let status, let detail) where sourceKeys == nil && roleARNs.isEmpty
            && (400..<500).contains(status) {
            // The worker's own identity (an instance profile without
            // ecr-public permissions, say) must not break public pulls.
            let reason = detail.isEmpty ? "" : ": \(detail)"
            logger.warning("\(what) with the worker's AWS credentials (\(first.origin)) returned HTTP \(status)\(reason); continuing anonymously")
            return nil
        }
        logger.debug("authenticated to ECR Public as AWS")
        return CloudLoginResult(username: "AWS", password: password, repository: repository)
    }
}
