import FoundationEssentials

/// A sigstore TrustedRoot (protobuf-specs `dev.sigstore.trustedroot.v1`):
/// the Fulcio certificate authorities, Rekor transparency logs, CT logs and
/// timestamp authorities a verifier trusts, each with its validity window.
/// Only the model: verification lives elsewhere.
public struct TrustedRoot: Codable, Sendable {
    public var mediaType: String?
    public var tlogs: [TransparencyLogInstance]?
    public var certificateAuthorities: [CertificateAuthority]?
    public var ctlogs: [TransparencyLogInstance]?
    public var timestampAuthorities: [CertificateAuthority]?

    public init(json: Data) throws(SignatureError) {
        do {
            self = try JSONDecoder().decode(TrustedRoot.self, from: json)
        } catch {
            throw .malformed(what: "trusted root", reason: "not a TrustedRoot's JSON")
        }
    }

    public init(tlogs: [TransparencyLogInstance], certificateAuthorities: [CertificateAuthority],
                ctlogs: [TransparencyLogInstance], timestampAuthorities: [CertificateAuthority] = []) {
        mediaType = "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
        self.tlogs = tlogs
        self.certificateAuthorities = certificateAuthorities
        self.ctlogs = ctlogs
        self.timestampAuthorities = timestampAuthorities
    }

    /// A Rekor or CT log: its key (DER SubjectPublicKeyInfo), key id and when it was in use.
    public struct TransparencyLogInstance: Codable, Sendable {
        public var baseUrl: String?
        public var hashAlgorithm: String?
        public var publicKey: PublicKey
        public var logId: SigstoreBundle.LogID
        /// The key id checkpoints name when it is not `logId` (protobuf-specs 0.3.2).
        public var checkpointKeyId: SigstoreBundle.LogID?
    }

    public struct PublicKey: Codable, Sendable {
        public var rawBytes: ProtoBytes?
        /// e.g. `PKIX_ECDSA_P256_SHA_256`, `PKIX_ED25519`, `PKIX_RSA_PKCS1V15_2048_SHA256`.
        public var keyDetails: String?
        public var validFor: TimeRange?
    }

    /// A Fulcio CA or a timestamp authority: its chain (leaf-most first) and validity.
    public struct CertificateAuthority: Codable, Sendable {
        public var subject: DistinguishedName?
        public var uri: String?
        public var certChain: SigstoreBundle.X509CertificateChain
        public var validFor: TimeRange?

        public struct DistinguishedName: Codable, Sendable {
            public var organization: String?
            public var commonName: String?
        }
    }

    /// RFC 3339 times; an open end means "still valid".
    public struct TimeRange: Codable, Sendable {
        public var start: String?
        public var end: String?
    }
}
