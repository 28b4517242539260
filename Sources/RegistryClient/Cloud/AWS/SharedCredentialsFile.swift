import Foundation
import OCIModel

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
        var section: String?
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = line.dropFirst().dropLast().trimmingWhitespace()
                continue
            }
            guard section == profile, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingWhitespace().lowercased()
            values[key] = line[line.index(after: equals)...].trimmingWhitespace()
        }
        guard let id = values["aws_access_key_id"], !id.isEmpty,
              let secret = values["aws_secret_access_key"], !secret.isEmpty else { return nil }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"],
                              origin: "shared credentials file, profile \(profile)")
    }
}
