import CloudCredentials
import Logging

extension CloudLogin {
    /// Whether `source.repository` is on Amazon ECR Public (`public.ecr.aws/…`).
    static func isECRPublic(_ source: SourceConfiguration) -> Bool {
        guard let reference = try? SourceReference.repository(of: source) else { return false }
        return ECRPublicLogin.isECRPublic(registry: reference.registry)
    }

    /// ECR Public: Basic `AWS` credentials when any AWS credentials are
    /// found (needed to push), anonymous pulls otherwise. `aws_region` plays
    /// no part: the API lives in us-east-1.
    static func applyECRPublic(to source: SourceConfiguration, logger: Logger,
                               environment: [String: String]) throws -> SourceConfiguration {
        var source = source
        guard source.username == nil, source.password == nil else { return source }
        let login = ECRPublicLogin(sourceKeys: source.aws.sourceKeys, roleARNs: source.aws.rolesToAssume,
                                   repository: source.repository)
        try signIn(&source, failure: CloudLoginError.ecrPublic) { () throws(CloudAuthError) in
            try login.login(environment: environment, logger: logger)
        }
        return source
    }
}
