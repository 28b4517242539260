import FoundationEssentials

extension URL {
    /// The URL as safe to log: query values are replaced unless they are
    /// known to be harmless (pagination, token scope). Presigned redirect URLs
    /// carry signatures in their query.
    package var redactedForLog: String {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.user = nil
        components.password = nil
        let harmless: Set<String> = ["n", "last", "service", "scope", "digest", "mount", "from"]
        components.queryItems = components.queryItems?.map { item in
            harmless.contains(item.name) ? item : URLQueryItem(name: item.name, value: "REDACTED")
        }
        return components.string ?? "<url>"
    }
}
