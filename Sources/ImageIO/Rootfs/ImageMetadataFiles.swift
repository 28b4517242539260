import FoundationEssentials
import OCIModel

/// `metadata.json` and `labels.json`, byte-compatible with upstream's
/// (absent lists are `null`, an absent user is `""`, no labels is `{}`).
enum ImageMetadataFiles {
    private struct Metadata: Encodable {
        let cmd: [String]?
        let entrypoint: [String]?
        let env: [String]?
        let user: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cmd, forKey: .cmd)
            try container.encode(entrypoint, forKey: .entrypoint)
            try container.encode(env, forKey: .env)
            try container.encode(user, forKey: .user)
        }

        private enum CodingKeys: String, CodingKey { case cmd, entrypoint, env, user }
    }

    static func writeMetadata(for config: ImageConfig, to destination: String) throws {
        let settings = config.config
        let metadata = Metadata(
            cmd: settings?.cmd, entrypoint: settings?.entrypoint, env: settings?.env, user: settings?.user ?? "")
        try StagedFile.write(try JSONOutput.encode(metadata) + Data("\n".utf8), to: "\(destination)/metadata.json")
    }

    static func writeLabels(for config: ImageConfig, to destination: String) throws {
        let labels = config.config?.labels ?? [:]
        try StagedFile.write(try JSONOutput.encode(labels) + Data("\n".utf8), to: "\(destination)/labels.json")
    }
}
