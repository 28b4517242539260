import FoundationEssentials

/// Which signatures make a digest trusted (`source.verify`): any one that
/// verifies under one of `publicKeys`, or whose Fulcio certificate names one
/// of `identities`.
public struct VerificationPolicy: Sendable {
    /// A keyless signer: OIDC issuer and subject, each a regular expression
    /// matched against the whole value.
    public struct Identity: Sendable, Equatable {
        public var issuer, subject: String
        public init(issuer: String, subject: String) {
            self.issuer = issuer
            self.subject = subject
        }
    }

    public var publicKeys: [VerificationKey]
    public var identities: [Identity]
    /// The sigstore trust root for keyless signatures and transparency-log
    /// entries; nil: the public-good instance's, shipped with the resource.
    public var trustedRoot: TrustedRoot?
    /// Where signatures live (cosign's COSIGN_REPOSITORY), `host/path`; nil: the image's repository.
    public var repository: String?
    /// Keyed signatures must also come with a verified transparency-log entry.
    public var requireTransparencyLog: Bool

    public init(publicKeys: [VerificationKey] = [], identities: [Identity] = [], trustedRoot: TrustedRoot? = nil,
                repository: String? = nil, requireTransparencyLog: Bool = false) {
        self.publicKeys = publicKeys
        self.identities = identities
        self.trustedRoot = trustedRoot
        self.repository = repository
        self.requireTransparencyLog = requireTransparencyLog
    }

    /// Builds a policy from `source.verify`'s text: every key, pattern and
    /// root is read now, so a bad one fails the request before any work.
    /// Errors name the entry (`public_keys[1]: …`) and never echo key text.
    public init(publicKeysPEM: [String], identities: [Identity], trustedRootJSON: String?, repository: String?,
                requireTransparencyLog: Bool) throws(SignatureError) {
        var keys: [VerificationKey] = []
        for (position, pem) in publicKeysPEM.enumerated() {
            do {
                keys.append(try VerificationKey(pem: pem))
            } catch {
                throw .malformed(what: "public_keys[\(position)]", reason: error.reasonText)
            }
        }
        for (position, identity) in identities.enumerated() {
            guard !identity.issuer.isEmpty, !identity.subject.isEmpty else {
                throw .malformed(what: "identities[\(position)]", reason: "issuer and subject must not be empty")
            }
            do {
                _ = try IdentityPattern(issuer: identity.issuer, subject: identity.subject)
            } catch {
                throw .malformed(what: "identities[\(position)]", reason: error.reasonText)
            }
        }
        var root: TrustedRoot?
        if let trustedRootJSON, !trustedRootJSON.isEmpty {
            root = try TrustedRoot(json: Data(trustedRootJSON.utf8))
        }
        if keys.isEmpty && identities.isEmpty {
            throw .malformed(what: "verify", reason: "needs public_keys or identities")
        }
        self.init(publicKeys: keys, identities: identities, trustedRoot: root, repository: repository,
                  requireTransparencyLog: requireTransparencyLog)
    }
}

extension SignatureError {
    /// The reason alone, without what it is about (for a line that already names it).
    public var reasonText: String {
        switch self {
        case .malformed(_, let reason), .rejected(let reason), .untrusted(_, let reason): reason
        }
    }
}
