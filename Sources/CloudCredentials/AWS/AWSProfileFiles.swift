import FoundationEssentials
import OCIModel

/// The shared config file (`AWS_CONFIG_FILE`, else `~/.aws/config`, sections
/// `[default]` and `[profile NAME]`) and the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`, sections
/// `[NAME]`), merged per profile as the SDKs do: a key in the credentials
/// file wins over the same key in the config file.
struct AWSProfileFiles: Sendable {
    /// Profile name → lowercased key → value.
    let profiles: [String: [String: String]]
    /// What was read, for error texts ("config file /x, credentials file /y").
    let readFiles: [String]

    init(environment: [String: String]) {
        var profiles: [String: [String: String]] = [:]
        var readFiles: [String] = []
        if let path = Self.configPath(environment: environment), let text = Self.read(path) {
            readFiles.append("config file \(path)")
            for (section, values) in Self.sections(text) {
                // `[profile x]` names x; a bare `[x]` counts only for default.
                let name: String
                if section == "default" {
                    name = section
                } else if section.hasPrefix("profile ") || section.hasPrefix("profile\t") {
                    name = section.dropFirst("profile".count).trimmingWhitespace()
                } else {
                    continue
                }
                profiles[name, default: [:]].merge(values) { $1 }
            }
        }
        if let path = SharedCredentialsFile.path(environment: environment), let text = Self.read(path) {
            readFiles.append("credentials file \(path)")
            for (section, values) in Self.sections(text) {
                profiles[section, default: [:]].merge(values) { $1 }
            }
        }
        self.profiles = profiles
        self.readFiles = readFiles
    }

    static func configPath(environment: [String: String]) -> String? {
        if let path = environment["AWS_CONFIG_FILE"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return "\(home)/.aws/config"
    }

    private static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// INI sections in file order, keys lowercased, values trimmed; comment
    /// lines (`#`, `;`) and nested sub-sections (indented lines) skipped.
    static func sections(_ text: String) -> [(String, [String: String])] {
        var result: [(String, [String: String])] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                result.append((line.dropFirst().dropLast().trimmingWhitespace(), [:]))
                continue
            }
            guard !result.isEmpty, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingWhitespace().lowercased()
            let value = line[line.index(after: equals)...].trimmingWhitespace()
            result[result.count - 1].1[key] = value
        }
        return result
    }
}
