import FoundationEssentials

/// Where keyless signatures and transparency-log entries are checked
/// (X.509 chain to Fulcio, SCT, Rekor, identities: `KeylessVerifier` and
/// `TransparencyLogVerifier`): the keyless half of the verifier, kept apart
/// so the keyed path stands on its own.
struct KeylessCheck: Sendable {
    let policy: VerificationPolicy

    /// The signer `subject (issuer)` when the signature's certificate is
    /// trusted and names one of the policy's identities, and its signing time.
    func verify(_ signature: AttachedSignature) throws(SignatureError) -> (signer: String, integratedTime: Int64?) {
        var identities: [IdentityPattern] = []
        for identity in policy.identities {
            identities.append(try IdentityPattern(issuer: identity.issuer, subject: identity.subject))
        }
        let verified = try KeylessVerifier(trustedRoot: try trustedRoot(), identities: identities)
            .check(signedBytes: signature.signedBytes, signature: signature.signature,
                   certificateChain: signature.certificateChain, evidence: try evidence(of: signature))
        return (verified.signer, verified.signingTime)
    }

    /// For `require_tlog`: the integrated time of a verified log entry for
    /// this keyed signature.
    func verifyTransparencyLog(_ signature: AttachedSignature, key: VerificationKey) throws(SignatureError) -> Int64 {
        try TransparencyLogVerifier(trustedRoot: try trustedRoot())
            .verify(try evidence(of: signature), signature: signature.signature, signedBytes: signature.signedBytes,
                    publicKey: key)
    }

    private func trustedRoot() throws(SignatureError) -> TrustedRoot {
        if let root = policy.trustedRoot { return root }
        return try TrustedRoot.publicGood()
    }

    private func evidence(of signature: AttachedSignature) throws(SignatureError) -> TransparencyEvidence {
        if let annotation = signature.rekorBundleAnnotation { return .cosignBundleAnnotation(annotation) }
        guard !signature.transparencyLogEntries.isEmpty else {
            throw .rejected(reason: "no transparency-log entry (Rekor bundle annotation or bundle tlogEntries)")
        }
        return .bundleEntries(signature.transparencyLogEntries)
    }
}
