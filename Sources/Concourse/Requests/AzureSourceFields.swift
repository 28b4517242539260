/// The `azure_*` fields of `source`, as upstream names them. ACR login
/// (managed identity) runs when `azure_acr` is true.
public struct AzureSourceFields: Equatable, Sendable {
    public var acr: Bool
    public var clientID: String?
    public var tenantID: String?
    public var environment: String?

    public init(acr: Bool = false, clientID: String? = nil, tenantID: String? = nil, environment: String? = nil) {
        self.acr = acr
        self.clientID = clientID
        self.tenantID = tenantID
        self.environment = environment
    }

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        acr = try reader.bool("azure_acr")
        clientID = try reader.string("azure_client_id").flatMap { $0.isEmpty ? nil : $0 }
        tenantID = try reader.string("azure_tenant_id").flatMap { $0.isEmpty ? nil : $0 }
        environment = try reader.string("azure_environment").flatMap { $0.isEmpty ? nil : $0 }
    }
}
