import FoundationEssentials
import RegistryClient
import Logging

/// Upstream's ACR flow with managed identity: an Azure AD token for the
/// cloud's management resource, the tenant (`azure_tenant_id`, else the
/// `tenant=` of the registry's `/v2/` challenge, else `common`), a refresh
/// token from `POST /oauth2/exchange`, then the registry's own token flow
/// with Basic `00000000-0000-0000-0000-000000000000:<refresh token>`.
public struct ACRLogin: Sendable, Equatable {
    public static let refreshTokenUser = "00000000-0000-0000-0000-000000000000"

    /// The registry host (`name.azurecr.io`, maybe with a port).
    public var registry: String
    public var repository: String
    public var clientID: String?
    public var tenantID: String?
    /// `azure_environment` as written; unknown values fall back to detection.
    public var environmentName: String?
    public var insecure: Bool
    public var caCertificatesPEM: [String]

    public init(registry: String, repository: String, clientID: String?, tenantID: String?, environmentName: String?,
                insecure: Bool, caCertificatesPEM: [String]) {
        self.registry = registry
        self.repository = repository
        self.clientID = clientID
        self.tenantID = tenantID
        self.environmentName = environmentName
        self.insecure = insecure
        self.caCertificatesPEM = caCertificatesPEM
    }

    public func login(environment: [String: String], logger: Logger) throws(CloudAuthError) -> CloudLoginResult {
        var cloud = AzureCloud.detect(registryHost: registry)
        if let name = environmentName, !name.isEmpty {
            if let named = AzureCloud(rawValue: name) {
                cloud = named
            } else {
                logger.warning("unknown azure_environment \"\(name)\", falling back to auto-detection (\(cloud.rawValue))")
            }
        }
        logger.debug("ACR auth for \(registry) in \(cloud.rawValue), resource \(cloud.managementResource)")
        let aadToken = try ManagedIdentityToken(resource: cloud.managementResource, clientID: clientID,
                                                environment: environment, logger: logger).fetch()

        let http = try CloudHTTPClient(caCertificatesPEM: caCertificatesPEM, verifyTLS: !insecure, logger: logger)
        let scheme = insecure ? "http" : "https"
        let tenant: String
        if let explicit = tenantID, !explicit.isEmpty {
            tenant = explicit
            logger.debug("using explicit azure_tenant_id for ACR auth: \(tenant)")
        } else {
            tenant = Self.challengeTenant(registry: registry, scheme: scheme, http: http, logger: logger)
            logger.debug("ACR challenge tenant: \(tenant)")
        }

        let refreshToken: String
        do {
            refreshToken = try Self.exchange(registry: registry, scheme: scheme, tenant: tenant,
                                             accessToken: aadToken, http: http)
        } catch {
            guard tenantID != nil else { throw error }
            throw .configuration("\(error) (hint: azure_tenant_id must be the ACR registry's tenant ID, "
                + "not the VM or cluster tenant ID)")
        }
        return CloudLoginResult(username: Self.refreshTokenUser, password: refreshToken, repository: repository)
    }

    /// The tenant named in an unauthenticated `/v2/` challenge: the realm's
    /// `tenant` query parameter, else any `tenant=` in the header (as
    /// upstream), else `common`.
    static func challengeTenant(registry: String, scheme: String, http: CloudHTTPClient, logger: Logger) -> String {
        guard let url = URL(string: "\(scheme)://\(registry)/v2/") else { return "common" }
        let response: HTTPResponse
        do {
            response = try http.send(HTTPRequest(method: .get, url: url), what: "ACR challenge")
        } catch {
            logger.debug("ACR challenge request failed, using default tenant: \(error)")
            return "common"
        }
        guard response.status == 401 else {
            logger.debug("ACR challenge returned status \(response.status) (expected 401), using default tenant")
            return "common"
        }
        return tenant(fromChallenges: response.headers.values("WWW-Authenticate"))
    }

    static func tenant(fromChallenges headers: [String]) -> String {
        for header in headers {
            for challenge in AuthChallenge.parse(header) where challenge.scheme == "bearer" {
                if let realm = challenge.realm, let items = URLComponents(string: realm)?.queryItems,
                   let tenant = items.first(where: { $0.name == "tenant" })?.value, !tenant.isEmpty {
                    return tenant
                }
                if let tenant = challenge.parameters["tenant"], !tenant.isEmpty { return tenant }
            }
            if let range = header.firstRange(of: "tenant=") {
                let rest = header[range.upperBound...].prefix { $0 != "\"" && $0 != "&" && $0 != "," }
                if !rest.isEmpty { return String(rest) }
            }
        }
        return "common"
    }

    static func exchange(registry: String, scheme: String, tenant: String, accessToken: String,
                         http: CloudHTTPClient) throws(CloudAuthError) -> String {
        guard let url = URL(string: "\(scheme)://\(registry)/oauth2/exchange") else {
            throw .configuration("registry '\(registry)' is not usable in a URL")
        }
        let form = FormBody.encode([("grant_type", "access_token"), ("service", registry), ("tenant", tenant),
                                    ("access_token", accessToken)])
        let what = "ACR token exchange (POST \(url.absoluteString))"
        let response = try http.send(
            HTTPRequest(method: .post, url: url, headers: [(name: "Content-Type", value: FormBody.contentType)],
                        body: Data(form.utf8)),
            what: what)
        guard response.status == 200 else {
            throw .refused(what: what, status: response.status, detail: ResponseSnippet.of(response.body))
        }
        struct Answer: Decodable { let refresh_token: String? }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body) else {
            throw .badResponse(what: what, reason: "not JSON")
        }
        guard let token = answer.refresh_token, !token.isEmpty else {
            throw .badResponse(what: what, reason: "received empty ACR refresh token")
        }
        return token
    }
}
