/// The Azure cloud a registry lives in, which picks the management resource
/// a managed-identity token is requested for: `azure_environment` when it
/// names one, else detected from the registry's domain (as upstream).
public enum AzureCloud: String, Sendable, CaseIterable {
    case azurePublic = "AzurePublic"
    case azureGovernment = "AzureGovernment"
    case azureChina = "AzureChina"

    /// The resource (upstream's scope without `/.default`).
    public var managementResource: String {
        switch self {
        case .azurePublic: "https://management.azure.com"
        case .azureGovernment: "https://management.usgovcloudapi.net"
        case .azureChina: "https://management.chinacloudapi.cn"
        }
    }

    /// `.azurecr.us` → Government, `.azurecr.cn` → China, anything else Public.
    public static func detect(registryHost: String) -> AzureCloud {
        let host = registryHost.lowercased().split(separator: ":").first.map(String.init) ?? ""
        if host.hasSuffix(".azurecr.us") { return .azureGovernment }
        if host.hasSuffix(".azurecr.cn") { return .azureChina }
        return .azurePublic
    }
}
