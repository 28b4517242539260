import FoundationEssentials

/// The JSON document the ECS container-credentials endpoint and the EC2
/// instance metadata service return for role credentials.
struct MetadataCredentialsDocument: Decodable {
    let code: String?
    let accessKeyID: String?
    let secretAccessKey: String?
    let token: String?

    enum CodingKeys: String, CodingKey {
        case code = "Code", accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey", token = "Token"
    }

    static func credentials(from body: Data, what: String, origin: String) throws(CloudAuthError) -> AWSCredentials {
        let document: MetadataCredentialsDocument
        do {
            document = try JSONDecoder().decode(MetadataCredentialsDocument.self, from: body)
        } catch {
            throw .badResponse(what: what, reason: "not a credentials document")
        }
        if let code = document.code, code != "Success" {
            throw .badResponse(what: what, reason: "Code \(code)")
        }
        guard let id = document.accessKeyID, !id.isEmpty, let secret = document.secretAccessKey, !secret.isEmpty else {
            throw .badResponse(what: what, reason: "no AccessKeyId/SecretAccessKey")
        }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: document.token, origin: origin)
    }
}
