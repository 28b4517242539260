import CloudCredentials
import FoundationEssentials
import Logging

/// Logs in to GAR/GCR (`google_auth: true`), ECR Public (a `public.ecr.aws`
/// repository), ECR (`aws_region` set) or ACR (`azure_acr: true`) before a
/// command talks to the registry, as upstream does at the start of check, in
/// and out: the returned source carries the registry credentials and, for
/// ECR, the repository with the registry host (which the `repository` file
/// and the metadata then show, as upstream).
enum CloudLogin {
    static func apply(to source: SourceConfiguration, logger: Logger,
                      environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SourceConfiguration {
        if source.google.auth { return try applyGoogle(to: source, logger: logger, environment: environment) }
        if isECRPublic(source) { return try applyECRPublic(to: source, logger: logger, environment: environment) }
        var source = source
        if source.aws.requestsECRLogin, let region = source.aws.region {
            if source.aws.ecrRegistryID != nil {
                logger.warning("aws_ecr_registry_id is no longer required. This param may be removed in a future version of this resource-type")
            }
            let login = ECRLogin(
                region: region, accountID: source.aws.accountID, sourceKeys: source.aws.sourceKeys,
                roleARNs: source.aws.rolesToAssume, repository: source.repository)
            if let result = try signIn(&source, failure: CloudLoginError.ecr, with: { () throws(CloudAuthError) in
                try login.login(environment: environment, logger: logger)
            }) {
                source.repository = result.repository
            }
        } else if source.aws.sourceKeys != nil || !source.aws.rolesToAssume.isEmpty {
            logger.warning("aws_* credentials are ignored without aws_region (as upstream)")
        }
        if source.azure.acr {
            let reference = try SourceReference.repository(of: source)
            let login = ACRLogin(
                registry: reference.registry, repository: source.repository, clientID: source.azure.clientID,
                tenantID: source.azure.tenantID, environmentName: source.azure.environment,
                insecure: source.insecure, caCertificatesPEM: source.caCerts)
            try signIn(&source, failure: CloudLoginError.acr) { () throws(CloudAuthError) in
                try login.login(environment: environment, logger: logger)
            }
        }
        return source
    }

    /// Puts a cloud login's registry user and password into `source` (none
    /// for an anonymous login); `failure` says which login failed.
    @discardableResult
    static func signIn(_ source: inout SourceConfiguration, failure: (CloudAuthError) -> CloudLoginError,
                       with login: () throws(CloudAuthError) -> CloudLoginResult?) throws(CloudLoginError)
        -> CloudLoginResult? {
        let result: CloudLoginResult?
        do { result = try login() } catch { throw failure(error) }
        if let result {
            source.username = result.username
            source.password = result.password
        }
        return result
    }
}

/// A failed cloud login, worded as upstream ("cannot authenticate with
/// ECR") with the reason after it.
enum CloudLoginError: Error, CustomStringConvertible {
    case ecr(CloudAuthError)
    case acr(CloudAuthError)
    case gar(CloudAuthError)
    case ecrPublic(CloudAuthError)

    var description: String {
        switch self {
        case .ecr(let error): "cannot authenticate with ECR: \(error)"
        case .acr(let error): "cannot authenticate with ACR: \(error)"
        case .gar(let error): "cannot authenticate with GAR: \(error)"
        case .ecrPublic(let error): "cannot authenticate with ECR Public: \(error)"
        }
    }
}
