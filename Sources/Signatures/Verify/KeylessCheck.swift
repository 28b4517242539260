import Foundation

/// Where keyless signatures and transparency-log entries are checked
/// (X.509 chain to Fulcio, SCT, Rekor, identities): the keyless half of the
/// verifier, kept apart so the keyed path stands on its own.
struct KeylessCheck: Sendable {
    let policy: VerificationPolicy

    /// The signer `subject (issuer)` when the signature's certificate is
    /// trusted and names one of the policy's identities.
    func verify(_ signature: AttachedSignature) throws(SignatureError) -> (signer: String, integratedTime: Int64?) {
        throw .rejected(reason: "keyless verification is not available in this build")
    }

    /// For `require_tlog`: the integrated time of a verified log entry for
    /// this keyed signature.
    func verifyTransparencyLog(_ signature: AttachedSignature, key: VerificationKey) throws(SignatureError) -> Int64 {
        throw .rejected(reason: "transparency-log verification is not available in this build")
    }
}
