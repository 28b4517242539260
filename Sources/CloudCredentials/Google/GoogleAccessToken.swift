/// An OAuth2 access token for Google APIs. Printing it never shows the token.
struct GoogleAccessToken: Sendable, CustomStringConvertible {
    let value: String
    /// Seconds of validity the issuer announced.
    let expiresIn: Int

    var description: String { "Google access token (valid \(expiresIn) s)" }
}
