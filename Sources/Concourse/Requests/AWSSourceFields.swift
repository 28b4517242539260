import CloudCredentials

/// The `aws_*` fields of `source`, as upstream names them. ECR login runs
/// when `aws_region` is set (upstream's trigger); the other fields without
/// it are ignored, as upstream ignores them.
public struct AWSSourceFields: Equatable, Sendable {
    public var accessKeyID: String?
    public var secretAccessKey: String?
    public var sessionToken: String?
    public var region: String?
    public var accountID: String?
    public var roleARN: String?
    public var roleARNs: [String]
    /// Deprecated upstream: accepted, with upstream's warning.
    public var ecrRegistryID: String?

    public init() { roleARNs = [] }

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        func text(_ key: String, _ reader: inout JSONObjectReader) throws(RequestError) -> String? {
            try reader.string(key).flatMap { $0.isEmpty ? nil : $0 }
        }
        accessKeyID = try text("aws_access_key_id", &reader)
        secretAccessKey = try text("aws_secret_access_key", &reader)
        sessionToken = try text("aws_session_token", &reader)
        region = try text("aws_region", &reader)
        accountID = try text("aws_account_id", &reader)
        roleARN = try text("aws_role_arn", &reader)
        roleARNs = try reader.stringArray("aws_role_arns").filter { !$0.isEmpty }
        ecrRegistryID = try text("aws_ecr_registry_id", &reader)
        // Refused before any AWS request, naming both fields.
        if roleARN != nil, !roleARNs.isEmpty {
            throw .invalidValue(field: "source.aws_role_arns",
                                reason: "`aws_role_arn` cannot be set at the same time as `aws_role_arns`")
        }
    }

    /// Whether an ECR login is asked for.
    public var requestsECRLogin: Bool { region != nil }

    /// The keys given in `source`: only when both halves are set, as upstream.
    public var sourceKeys: AWSCredentials? {
        guard let accessKeyID, let secretAccessKey else { return nil }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
                              origin: "source")
    }

    /// The roles to assume in order (`aws_role_arn` alone, or `aws_role_arns`).
    public var rolesToAssume: [String] { roleARN.map { [$0] } ?? roleARNs }
}
