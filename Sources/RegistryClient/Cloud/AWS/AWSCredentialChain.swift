import Foundation
import Logging

/// The credentials an ECR login starts from, tried in the order the AWS SDKs
/// use: the source's keys, the environment, the shared credentials file,
/// ECS container credentials, then EC2 instance-profile credentials (IMDSv2).
struct AWSCredentialChain {
    /// `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`.
    var sourceKeys: AWSCredentials?
    var environment: [String: String]
    var endpoints: AWSEndpoints
    var logger: Logger

    func resolve() throws(CloudAuthError) -> AWSCredentials {
        var tried: [String] = []
        if let sourceKeys { return sourceKeys }
        tried.append("source keys: not set")

        if let fromEnvironment = Self.environmentCredentials(environment) { return fromEnvironment }
        tried.append("environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set")

        if let path = SharedCredentialsFile.path(environment: environment) {
            let profile = SharedCredentialsFile.profile(environment: environment)
            if let data = FileManager.default.contents(atPath: path) {
                if let credentials = SharedCredentialsFile.credentials(text: String(decoding: data, as: UTF8.self),
                                                                       profile: profile) {
                    return credentials
                }
                tried.append("shared credentials file \(path): no keys for profile \(profile)")
            } else {
                tried.append("shared credentials file \(path): not readable")
            }
        }

        if let (url, authorization) = try ContainerCredentials.endpoint(environment: environment) {
            // Configured explicitly: its failure is the answer, as in the SDKs.
            let http = try CloudHTTPClient(direct: true, connectTimeout: .seconds(2), stallTimeout: .seconds(5), logger: logger)
            return try ContainerCredentials(url: url, authorization: authorization, http: http).fetch()
        }
        tried.append("container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI not set")

        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            tried.append("instance metadata: AWS_EC2_METADATA_DISABLED")
            throw .noCredentials(tried)
        }
        let base = try endpoints.instanceMetadata()
        let http = try CloudHTTPClient(direct: true, connectTimeout: .seconds(1), stallTimeout: .seconds(2), attempts: 2,
                                       logger: logger)
        do {
            let credentials = try InstanceMetadataCredentials(base: base, http: http).fetch()
            logger.debug("using AWS credentials from the instance profile")
            return credentials
        } catch {
            tried.append("instance metadata \(base.absoluteString): \(error)")
            throw .noCredentials(tried)
        }
    }

    static func environmentCredentials(_ environment: [String: String]) -> AWSCredentials? {
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        guard let id = first("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"),
              let secret = first("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY") else { return nil }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: first("AWS_SESSION_TOKEN"),
                              origin: "environment")
    }
}
