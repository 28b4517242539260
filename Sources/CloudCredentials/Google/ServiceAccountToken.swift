import FoundationEssentials
import RegistryClient

/// A `service_account` key's access token (OAuth 2.0 JWT bearer grant,
/// RFC 7523): a JWT assertion signed RS256 with the key (iss = the account's
/// email, scope, aud = `token_uri`, one hour from now), POSTed to `token_uri`.
struct ServiceAccountToken {
    let file: GoogleCredentialsFile
    let http: CloudHTTPClient

    static let scope = "https://www.googleapis.com/auth/cloud-platform"
    static let lifetime = 3600

    func fetch() throws(CloudAuthError) -> GoogleAccessToken {
        guard let email = file.client_email, !email.isEmpty else {
            throw .configuration("the service account key has no client_email")
        }
        guard let key = file.private_key, !key.isEmpty else {
            throw .configuration("the service account key has no private_key")
        }
        let tokenURI = file.tokenURI
        guard let url = URL(string: tokenURI), url.host != nil else {
            throw .configuration("the service account key's token_uri is not a URL")
        }
        let assertion = try Self.assertion(email: email, keyID: file.private_key_id, privateKeyPEM: key, audience: tokenURI,
                                           issuedAt: Int(Date().timeIntervalSince1970))
        return try OAuthTokenAnswer.post(
            [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)],
            to: url, http: http, what: "service account \(email) token (POST \(url.redactedForLog))")
    }

    /// The signed JWT: `header.claims.signature`, each part base64url.
    static func assertion(email: String, keyID: String?, privateKeyPEM: String, audience: String,
                          issuedAt: Int) throws(CloudAuthError) -> String {
        struct Header: Encodable { let alg = "RS256", typ = "JWT"; let kid: String? }
        struct Claims: Encodable { let iss, scope, aud: String; let iat, exp: Int }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header: Data
        let claims: Data
        do {
            header = try encoder.encode(Header(kid: keyID.flatMap { $0.isEmpty ? nil : $0 }))
            claims = try encoder.encode(Claims(iss: email, scope: scope, aud: audience, iat: issuedAt,
                                               exp: issuedAt + lifetime))
        } catch {
            throw .configuration("cannot encode the JWT assertion")
        }
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(claims)
        let signature = try RS256Signer.sign(Array(signingInput.utf8), privateKeyPEM: privateKeyPEM)
        return signingInput + "." + Base64URL.encode(signature)
    }
}
