import FoundationEssentials

/// Verifies a keyless (Fulcio certificate) signature offline, as cosign
/// does, with everything taken from the trusted root and the evidence:
///
/// 1. the signature over the signed bytes verifies under the leaf's key;
/// 2. a Rekor entry verifies (its SET, and its inclusion proof with a signed
///    checkpoint when present, under a Rekor key of the trusted root valid
///    then) and its body logs this signature, these bytes and this very
///    certificate; its integrated time, which the SET signs, is the signing
///    time;
/// 3. the leaf chains to a Fulcio CA of the trusted root valid at that time,
///    every certificate of the chain valid then;
/// 4. the leaf's key usage is digital signature, its extended key usage code signing;
/// 5. an embedded SCT verifies under a CT log key of the trusted root;
/// 6. one identity's issuer matches the OIDC issuer extension and its
///    subject one SAN (email or URI).
public struct KeylessVerifier: Sendable {
    public let trustedRoot: TrustedRoot
    public let identities: [IdentityPattern]

    public init(trustedRoot: TrustedRoot, identities: [IdentityPattern]) {
        self.trustedRoot = trustedRoot
        self.identities = identities
    }

    /// What a verified keyless signature tells: who signed, and when.
    public struct Verified: Sendable, Equatable {
        /// `subject (issuer)`.
        public var signer: String
        /// The signing time the log's SET signs, seconds since the epoch.
        public var signingTime: Int64

        public init(signer: String, signingTime: Int64) {
            self.signer = signer
            self.signingTime = signingTime
        }
    }

    /// The identity that signed, as `subject (issuer)`.
    public func verify(signedBytes: Data, signature: Data, certificateChain: [Data],
                       evidence: TransparencyEvidence) throws(SignatureError) -> String {
        try check(signedBytes: signedBytes, signature: signature, certificateChain: certificateChain,
                  evidence: evidence).signer
    }

    /// As `verify`, with the signing time.
    public func check(signedBytes: Data, signature: Data, certificateChain: [Data],
                      evidence: TransparencyEvidence) throws(SignatureError) -> Verified {
        guard let leafDER = certificateChain.first else { throw .rejected(reason: "no signing certificate") }
        let leaf = try Certificate(der: leafDER)
        let key: VerificationKey
        do { key = try VerificationKey(certificateDER: leafDER) } catch {
            throw .malformed(what: "certificate", reason: "its key: \(error)")
        }
        guard key.verify(signature: signature, message: signedBytes) else {
            throw .rejected(reason: "signature does not verify under the certificate's key")
        }
        let signingTime = try TransparencyLogVerifier(trustedRoot: trustedRoot)
            .verify(evidence, signature: signature, signedBytes: signedBytes, key: key, leafDER: leaf.der,
                    needsSignedTime: true)
        let chain = try CertificateChainVerifier(authorities: trustedRoot.certificateAuthorities ?? [])
            .verify(leaf, at: signingTime)
        guard leaf.isForDigitalSignatures else {
            throw .rejected(reason: "certificate's key usage is not digital signature")
        }
        guard leaf.isForCodeSigning else {
            throw .rejected(reason: "certificate's extended key usage is not code signing")
        }
        guard chain.count >= 2 else { throw .rejected(reason: "certificate is itself a CA of the trusted root") }
        try EmbeddedSCTVerifier(ctlogs: trustedRoot.ctlogs ?? []).verify(leaf, issuer: chain[1], at: signingTime)
        return Verified(signer: try identity(of: leaf), signingTime: signingTime)
    }

    private func identity(of leaf: Certificate) throws(SignatureError) -> String {
        guard let issuer = leaf.oidcIssuer else { throw .rejected(reason: "certificate has no OIDC issuer extension") }
        let subjects = leaf.subjectAlternativeNames
        guard !subjects.isEmpty else { throw .rejected(reason: "certificate has no email or URI subject alternative name") }
        let issuerMatches = identities.filter { $0.matches(issuer: issuer) }
        guard !issuerMatches.isEmpty else {
            throw .rejected(reason: "certificate issuer \(Self.printable(issuer)) matches no identity's issuer")
        }
        for pattern in issuerMatches {
            if let subject = subjects.first(where: { pattern.matches(subject: $0) }) { return "\(subject) (\(issuer))" }
        }
        let names = subjects.map(Self.printable).joined(separator: ", ")
        throw .rejected(reason: "certificate subject \(names) matches no identity of issuer \(Self.printable(issuer))")
    }

    /// A certificate's text as it may appear in a one-line error: control
    /// characters (a newline, an escape) become "?".
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
    }
}
