import FoundationEssentials
import OCIModel
import RegistryClient

/// The one answer to "is this digest trusted under this policy, and by
/// whom", asked by `check`, by `get` before anything is written, and by
/// `registry-image verify`.
///
/// A digest is trusted when at least one signature attached to it passes
/// every check: it names the digest (simple-signing payload's
/// `docker-manifest-digest` and `type`, or the in-toto subject) and verifies
/// under one of the policy's keys (then, with `require_tlog`, also has a
/// verified log entry) or, keyless, its certificate names one of the
/// policy's identities (see `KeylessCheck`).
public struct ImageVerifier: Sendable {
    public let policy: VerificationPolicy
    let discovery: SignatureDiscovery
    let keyless: KeylessCheck

    /// - Parameter signatureClient: the repository signatures live in
    ///   (`policy.repository`, else the image's own).
    public init(policy: VerificationPolicy, signatureClient: RegistryClient) {
        self.policy = policy
        discovery = SignatureDiscovery(client: signatureClient)
        keyless = KeylessCheck(policy: policy)
    }

    /// Trusted when `digest` carries a verified signature, or else when the
    /// platform manifest chosen from it (`platformManifest`, asked only then)
    /// does. Throws `SignatureError.untrusted` naming `digest` and why;
    /// registry failures are thrown as they are.
    public func verify(_ digest: Digest, platformManifest: () throws -> Digest? = { nil }) throws -> ImageTrust {
        let first = try verifyOne(digest)
        if case .success(let trust) = first { return trust }
        var reasons = [first.reason]
        if let child = try platformManifest(), child != digest {
            let second = try verifyOne(child)
            if case .success(let trust) = second { return trust }
            reasons.append("platform manifest \(child): \(second.reason)")
        }
        throw SignatureError.untrusted(digest: digest.description, reason: reasons.joined(separator: "; "))
    }

    enum Outcome {
        case success(ImageTrust)
        case failure(String)

        var reason: String {
            if case .failure(let reason) = self { return reason }
            return ""
        }
    }

    /// Looks in the tag scheme first and stops at the first place holding a
    /// verified signature (a signed digest costs no referrers lookup).
    func verifyOne(_ digest: Digest) throws -> Outcome {
        var refusals: [String] = []
        for place in SignatureDiscovery.Place.allCases {
            let found = try discovery.signatures(of: digest, in: place)
            refusals += found.unreadable
            var verified: [VerifiedSignature] = []
            for signature in found.signatures {
                do {
                    verified.append(try check(signature, for: digest))
                } catch {
                    refusals.append("\(signature.location): \(error)")
                }
            }
            if !verified.isEmpty { return .success(ImageTrust(digest: digest, signatures: verified)) }
        }
        if refusals.isEmpty {
            return .failure("no signature found (tag \(digest.attachedTag(.signature)), referrers of type \(CosignFormat.bundleArtifactType))")
        }
        let shown = refusals.prefix(3).joined(separator: "; ")
        let more = refusals.count > 3 ? "; and \(refusals.count - 3) more" : ""
        return .failure("\(refusals.count) signature(s), none verified: \(shown)\(more)")
    }

    /// Every check one signature goes through; the first failure is thrown.
    func check(_ signature: AttachedSignature, for digest: Digest) throws(SignatureError) -> VerifiedSignature {
        try signature.checkNames(digest)
        var keyRefusal: SignatureError?
        if !policy.publicKeys.isEmpty {
            if let key = policy.publicKeys.first(where: { $0.verify(signature: signature.signature, message: signature.signedBytes) }) {
                var time: Int64?
                if policy.requireTransparencyLog {
                    do {
                        time = try keyless.verifyTransparencyLog(signature, key: key)
                    } catch {
                        keyRefusal = error
                    }
                }
                if keyRefusal == nil {
                    return VerifiedSignature(digest: digest.description, location: signature.location, signer: key.fingerprint,
                                             kind: "key", integratedTime: time)
                }
            } else {
                keyRefusal = .rejected(reason: "the signature does not verify under any of the \(policy.publicKeys.count) public key(s)")
            }
        }
        if !policy.identities.isEmpty && !signature.certificateChain.isEmpty {
            let (signer, time) = try keyless.verify(signature)
            return VerifiedSignature(digest: digest.description, location: signature.location, signer: signer,
                                     kind: "certificate", integratedTime: time)
        }
        if let keyRefusal { throw keyRefusal }
        throw .rejected(reason: "a keyed signature, and the policy has no public key")
    }
}
