import FoundationEssentials

/// A token from a registry's token service (distribution "token
/// authentication"), valid until `expires`.
struct BearerToken: Sendable {
    var value: String
    var expires: ContinuousClock.Instant

    private struct Response: Decodable {
        var token: String?
        var access_token: String?
        var expires_in: Int?
    }

    /// Parses `{"token": …}` or `{"access_token": …}`; `expires_in` defaults
    /// to 60 s as the spec says. A little is shaved off so a token is not
    /// used in its last seconds.
    static func parse(_ body: Data, receivedAt now: ContinuousClock.Instant = .now) -> BearerToken? {
        guard let response = try? JSONDecoder().decode(Response.self, from: body),
              let value = response.token ?? response.access_token, !value.isEmpty else { return nil }
        let lifetime = max(response.expires_in ?? 60, 1)
        let margin = min(10, lifetime / 4)
        return BearerToken(value: value, expires: now + .seconds(lifetime - margin))
    }

    var isValid: Bool { ContinuousClock.now < expires }
}
