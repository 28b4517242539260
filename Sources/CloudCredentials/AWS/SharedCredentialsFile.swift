import FoundationEssentials

/// The shared credentials file (`~/.aws/credentials`, or
/// `AWS_SHARED_CREDENTIALS_FILE`): INI sections named by profile
/// (`AWS_PROFILE`, else `default`) with `aws_access_key_id`,
/// `aws_secret_access_key` and optionally `aws_session_token`.
enum SharedCredentialsFile {
    static func path(environment: [String: String]) -> String? {
        if let path = environment["AWS_SHARED_CREDENTIALS_FILE"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return "\(home)/.aws/credentials"
    }

    static func profile(environment: [String: String]) -> String {
        environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The profile's keys, or nil when the file or profile or keys are absent.
    static func credentials(text: String, profile: String) -> AWSCredentials? {
        let values = AWSProfileFiles.sections(text).filter { $0.0 == profile }.reduce(into: [String: String]()) {
            $0.merge($1.1) { $1 }
        }
        return staticKeys(values, origin: "shared credentials file, profile \(profile)")
    }

    /// `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`) of one profile.
    static func staticKeys(_ values: [String: String], origin: String) -> AWSCredentials? {
        guard let id = values["aws_access_key_id"], !id.isEmpty,
              let secret = values["aws_secret_access_key"], !secret.isEmpty else { return nil }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"],
                              origin: origin)
    }
}
