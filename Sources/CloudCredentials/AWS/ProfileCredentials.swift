import FoundationEssentials

/// The credentials one profile of the shared files gives, as the SDKs
/// resolve it: `role_arn` with `source_profile` (itself resolved, in a chain
/// of profiles), `credential_source` (`Environment`, `Ec2InstanceMetadata`,
/// `EcsContainer`) or `web_identity_token_file`; else static keys; else
/// `credential_process`. nil when the profile gives none of these.
struct ProfileCredentials {
    let files: AWSProfileFiles
    let chain: AWSCredentialChain

    func resolve(_ name: String) throws(CloudAuthError) -> AWSCredentials? {
        try resolve(name, visited: [])
    }

    private func resolve(_ name: String, visited: [String]) throws(CloudAuthError) -> AWSCredentials? {
        guard let values = files.profiles[name] else {
            if visited.isEmpty { return nil }
            throw .configuration("AWS profile '\(visited.last ?? "")' names source_profile '\(name)', which does not exist")
        }
        if visited.contains(name) {
            throw .configuration("AWS profiles loop through source_profile: \((visited + [name]).joined(separator: " → "))")
        }
        let origin = "profile \(name)"
        if let role = values["role_arn"], !role.isEmpty {
            let session = values["role_session_name"].flatMap { $0.isEmpty ? nil : $0 } ?? STSClient.sessionName()
            let sts = try chain.sts()
            if let tokenFile = values["web_identity_token_file"], !tokenFile.isEmpty {
                chain.logger.debug("AWS \(origin): web identity for role \(role)")
                return try WebIdentityCredentials(tokenFile: tokenFile, roleARN: role, sessionName: session).fetch(sts: sts)
            }
            let base: AWSCredentials
            if let source = values["source_profile"], !source.isEmpty {
                // A profile that is its own source uses its own keys.
                if source == name, let own = SharedCredentialsFile.staticKeys(values, origin: origin) {
                    base = own
                } else if let resolved = try resolve(source, visited: visited + [name]) {
                    base = resolved
                } else {
                    throw .configuration("AWS profile '\(source)' (source_profile of '\(name)') gives no credentials")
                }
            } else if let source = values["credential_source"], !source.isEmpty {
                base = try credentialSource(source, profile: name)
            } else {
                throw .configuration("AWS profile '\(name)' has role_arn but neither source_profile, credential_source "
                    + "nor web_identity_token_file")
            }
            chain.logger.debug("AWS \(origin): assuming role \(role) with \(base)")
            return try sts.assumeRole(role, with: base, sessionName: session,
                                      externalID: values["external_id"].flatMap { $0.isEmpty ? nil : $0 })
        }
        if let keys = SharedCredentialsFile.staticKeys(values, origin: origin) { return keys }
        if let command = values["credential_process"], !command.isEmpty {
            return try ProcessCredentials(command: command, profile: name).fetch()
        }
        if values.keys.contains(where: { $0.hasPrefix("sso_") }) {
            // Its tokens come from an interactive `aws sso login`, which a worker does not do.
            throw .configuration("AWS profile '\(name)' uses IAM Identity Center (sso_*), which is not supported here; "
                + "use web identity, a role or credential_process")
        }
        return nil
    }

    private func credentialSource(_ source: String, profile: String) throws(CloudAuthError) -> AWSCredentials {
        switch source {
        case "Environment":
            guard let credentials = AWSCredentialChain.environmentCredentials(chain.environment) else {
                throw .configuration("AWS profile '\(profile)': credential_source Environment, but "
                    + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set")
            }
            return credentials
        case "Ec2InstanceMetadata":
            return try chain.instanceMetadataCredentials()
        case "EcsContainer":
            guard let credentials = try chain.containerCredentials() else {
                throw .configuration("AWS profile '\(profile)': credential_source EcsContainer, but "
                    + "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI are not set")
            }
            return credentials
        default:
            throw .configuration("AWS profile '\(profile)': unknown credential_source '\(source)' "
                + "(Environment, Ec2InstanceMetadata or EcsContainer)")
        }
    }
}
