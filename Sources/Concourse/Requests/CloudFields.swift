
/// Fields upstream accepts that this resource refuses by name instead of
/// silently ignoring: Docker content trust (notary v1 signing) in `source`,
/// and the cloud-login fields anywhere but `source` (upstream's params do not
/// have them either), plus `azure_*` spellings upstream never had (service
/// principal secrets: only managed identity is supported, as upstream).
enum CloudFields {
    static let aws = [
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region", "aws_account_id",
        "aws_ecr_registry_id", "aws_role_arn", "aws_role_arns",
    ]
    static let azure = ["azure_acr", "azure_client_id", "azure_tenant_id", "azure_environment"]
    static let cloudInParamsReason = "cloud login fields belong in source"
    static let azureUnknownReason = "ACR login uses managed identity only (azure_acr, azure_client_id, azure_tenant_id, azure_environment)"

    static let contentTrust = "content_trust"
    static let contentTrustReason = "Docker content trust (notary v1) signing is out of scope; sign with cosign or notation after the put"

    /// In `source`: content trust and unknown `azure_*` keys.
    static func refuseInSource(_ reader: inout JSONObjectReader) throws(RequestError) {
        let unknownAzure = reader.keys.filter { $0.hasPrefix("azure_") && !azure.contains($0) }
        try reader.refuse(unknownAzure.sorted(), reason: azureUnknownReason)
        try reader.refuse([contentTrust], reason: contentTrustReason)
    }

    /// In `params`: every cloud field (and any `azure_*` spelling).
    static func refuseInParams(_ reader: inout JSONObjectReader) throws(RequestError) {
        try reader.refuse(aws, reason: cloudInParamsReason)
        let azureKeys = Set(azure + reader.keys.filter { $0.hasPrefix("azure_") })
        try reader.refuse(azureKeys.sorted(), reason: cloudInParamsReason)
        try reader.refuse(GoogleSourceFields.names, reason: cloudInParamsReason)
    }
}
