import ImageIO
import OCIModel
import RegistryClient
import ResourceCore

/// Cloud-vendor authentication fields upstream accepts. They need the vendor's
/// services, which cannot be reached or tested here, so a request that sets
/// one is refused by name instead of silently pulling anonymously.
enum CloudFields {
    static let aws = [
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region",
        "aws_ecr_registry_id", "aws_role_arn", "aws_role_arns",
    ]
    static let awsReason = "AWS ECR authentication is not implemented; use username/password with an ECR token"

    static let azure = ["azure_acr", "azure_client_id", "azure_client_secret", "azure_tenant_id", "azure_environment"]
    static let azureReason = "Azure ACR authentication is not implemented; use username/password"

    static let contentTrust = "content_trust"
    static let contentTrustReason = "Docker content trust (notary) signing is not implemented"

    /// Refuses every cloud field present in `reader`, including unknown
    /// `azure_*` spellings (so they read as unsupported, not as typos).
    static func refuse(in reader: inout JSONObjectReader, includeContentTrust: Bool) throws(RequestError) {
        try reader.refuse(aws, reason: awsReason)
        let azureKeys = Set(azure + reader.keys.filter { $0.hasPrefix("azure_") })
        try reader.refuse(azureKeys.sorted(), reason: azureReason)
        if includeContentTrust {
            try reader.refuse([contentTrust], reason: contentTrustReason)
        }
    }
}
