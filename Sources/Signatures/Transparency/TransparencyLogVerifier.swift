import FoundationEssentials

/// Verifies Rekor (v1) transparency-log entries offline against the trusted
/// root's Rekor keys: the entry's log id names a log of the trusted root
/// whose key was valid at the entry's integrated time; its signed entry
/// timestamp (SET) and/or its inclusion proof with a signed checkpoint verify
/// under that key (at least one must be present, every present one must
/// verify); and its body logs this signature over these bytes by this key.
public struct TransparencyLogVerifier: Sendable {
    public let trustedRoot: TrustedRoot

    public init(trustedRoot: TrustedRoot) { self.trustedRoot = trustedRoot }

    /// The integrated time (seconds since the epoch) of the first entry that
    /// verifies; else the first entry's reason.
    public func verify(_ evidence: TransparencyEvidence, signature: Data, signedBytes: Data,
                       publicKey: VerificationKey) throws(SignatureError) -> Int64 {
        try verify(evidence, signature: signature, signedBytes: signedBytes, key: publicKey, leafDER: nil,
                   needsSignedTime: false)
    }

    /// As above; with `needsSignedTime`, only an entry whose integrated time
    /// its SET signs counts (an inclusion proof proves inclusion, not when:
    /// Rekor v1's leaves hold the body alone).
    func verify(_ evidence: TransparencyEvidence, signature: Data, signedBytes: Data, key: VerificationKey,
                leafDER: Data?, needsSignedTime: Bool) throws(SignatureError) -> Int64 {
        var firstFailure: SignatureError?
        for entry in try evidence.entries() {
            do throws(SignatureError) {
                if needsSignedTime && entry.inclusionPromise == nil {
                    throw .rejected(reason: "transparency-log entry has no signed entry timestamp, so no signed signing time")
                }
                try verify(entry)
                let body = try RekorEntryBody(json: entry.canonicalizedBody.data)
                try body.check(signature: signature, signedBytes: signedBytes, key: key, leafDER: leafDER)
                return entry.integratedTime.value
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        throw firstFailure ?? .rejected(reason: "no transparency-log entry")
    }

    /// The entry is the log's: SET and/or inclusion proof under its key.
    func verify(_ entry: SigstoreBundle.TransparencyLogEntry) throws(SignatureError) {
        let logID = entry.logId.keyId.data
        let logs = trustedRoot.transparencyLogs(withID: logID)
        guard !logs.isEmpty else {
            throw .rejected(reason: "transparency-log entry is from log \(Hex.encode(logID)), not a Rekor log of the trusted root")
        }
        let time = entry.integratedTime.value
        guard let log = logs.first(where: { $0.publicKey.validFor.contains(time) }) else {
            throw .rejected(reason: "the Rekor key of log \(Hex.encode(logID)) was not valid at the entry's time \(SigningTime.describe(time))")
        }
        guard let der = log.publicKey.rawBytes?.data else {
            throw .malformed(what: "trusted root", reason: "Rekor log \(Hex.encode(logID)) has no public key")
        }
        let key: VerificationKey
        do { key = try VerificationKey(spkiDER: der) } catch {
            throw .malformed(what: "trusted root", reason: "Rekor log \(Hex.encode(logID))'s key: \(error)")
        }
        guard entry.inclusionPromise != nil || entry.inclusionProof != nil else {
            throw .rejected(reason: "transparency-log entry has neither a signed entry timestamp nor an inclusion proof")
        }
        if let promise = entry.inclusionPromise {
            let payload = SignedEntryTimestampPayload(entry: entry)
            guard key.verify(signature: promise.signedEntryTimestamp.data, message: payload.canonicalJSON) else {
                throw .rejected(reason: "transparency-log entry's signed entry timestamp does not verify under the Rekor key")
            }
        }
        if let proof = entry.inclusionProof {
            try verify(proof, body: entry.canonicalizedBody.data, key: key, keyID: log.checkpointKeyId?.keyId.data ?? logID)
        }
    }

    private func verify(_ proof: SigstoreBundle.InclusionProof, body: Data, key: VerificationKey,
                        keyID: Data) throws(SignatureError) {
        guard MerkleInclusionProof.verify(
            leafHash: MerkleInclusionProof.leafHash(body), index: proof.logIndex.value, treeSize: proof.treeSize.value,
            hashes: proof.hashes.map(\.data), rootHash: proof.rootHash.data) else {
            throw .rejected(reason: "transparency-log entry's inclusion proof does not lead to the root hash")
        }
        guard let envelope = proof.checkpoint?.envelope else {
            throw .rejected(reason: "transparency-log entry's inclusion proof has no checkpoint")
        }
        let checkpoint = try SignedCheckpoint(envelope: envelope)
        guard checkpoint.treeSize == proof.treeSize.value, checkpoint.rootHash == proof.rootHash.data else {
            throw .rejected(reason: "transparency-log checkpoint is for another tree than the inclusion proof")
        }
        guard checkpoint.isSigned(by: key, keyID: keyID) else {
            throw .rejected(reason: "transparency-log checkpoint is not signed by the Rekor key")
        }
    }
}

/// What a Rekor SET signs: the canonical JSON (RFC 8785: sorted keys, no
/// spaces) of `{body, integratedTime, logID, logIndex}`, the body in base64
/// and the log id in hex (rekor `pkg/verify` VerifySignedEntryTimestamp).
struct SignedEntryTimestampPayload: Encodable {
    var body: String
    var integratedTime: Int64
    var logID: String
    var logIndex: Int64

    init(entry: SigstoreBundle.TransparencyLogEntry) {
        body = entry.canonicalizedBody.data.base64EncodedString()
        integratedTime = entry.integratedTime.value
        logID = Hex.encode(entry.logId.keyId.data)
        logIndex = entry.logIndex.value
    }

    /// JSONEncoder's sorted, unescaped output is RFC 8785 for these fields:
    /// ASCII strings without quotes or controls, and integers.
    var canonicalJSON: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
