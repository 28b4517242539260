import FoundationEssentials

/// `login`'s check that a registry accepts credentials, as `docker login`
/// does it: `GET /v2/` with them (for a token registry, after obtaining a
/// token without a repository scope).
extension RegistryClient {
    public func verifyCredentials() throws {
        let request = RegistryRequest(method: .get, target: .path("/v2/"), scope: "")
        try withRetries { _ in
            let response = try exchange(request) { _ in .discard }
            guard (200..<300).contains(response.status) else {
                throw failure(for: response, what: "\(registry)/v2/")
            }
        }
    }
}
