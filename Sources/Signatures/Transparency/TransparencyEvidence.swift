import FoundationEssentials

/// What shows that a signature was logged in a Rekor transparency log, as
/// the registry carries it.
public enum TransparencyEvidence: Sendable {
    /// The JSON of cosign's `dev.sigstore.cosign/bundle` annotation (tag
    /// scheme): `{"SignedEntryTimestamp": base64, "Payload": {"body": base64,
    /// "integratedTime": n, "logIndex": n, "logID": hex}}`.
    case cosignBundleAnnotation(Data)
    /// A sigstore bundle's `verificationMaterial.tlogEntries`.
    case bundleEntries([SigstoreBundle.TransparencyLogEntry])

    /// The entries in the bundle's form.
    func entries() throws(SignatureError) -> [SigstoreBundle.TransparencyLogEntry] {
        switch self {
        case .bundleEntries(let entries):
            guard !entries.isEmpty else { throw .rejected(reason: "no transparency-log entry") }
            return entries
        case .cosignBundleAnnotation(let json):
            return [try CosignBundleAnnotation(json: json).entry()]
        }
    }
}

/// cosign's `dev.sigstore.cosign/bundle` annotation (cosign `pkg/cosign/bundle`
/// RekorBundle): a Rekor entry with its SET, without an inclusion proof.
struct CosignBundleAnnotation: Decodable {
    var signedEntryTimestamp: String
    var payload: Payload

    struct Payload: Decodable {
        var body: String
        var integratedTime: Int64
        var logIndex: Int64
        var logID: String
    }

    enum CodingKeys: String, CodingKey {
        case signedEntryTimestamp = "SignedEntryTimestamp"
        case payload = "Payload"
    }

    init(json: Data) throws(SignatureError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: json)
        } catch {
            throw .malformed(what: "cosign bundle annotation", reason: "not a Rekor bundle's JSON")
        }
    }

    func entry() throws(SignatureError) -> SigstoreBundle.TransparencyLogEntry {
        guard let set = ProtoBytes.decodeBase64(signedEntryTimestamp) else {
            throw .malformed(what: "cosign bundle annotation", reason: "SignedEntryTimestamp is not base64")
        }
        guard let body = ProtoBytes.decodeBase64(payload.body) else {
            throw .malformed(what: "cosign bundle annotation", reason: "the entry body is not base64")
        }
        guard let logID = Hex.decode(payload.logID) else {
            throw .malformed(what: "cosign bundle annotation", reason: "logID is not hex")
        }
        // The kind is read from the body itself when it is checked.
        return SigstoreBundle.TransparencyLogEntry(
            logIndex: payload.logIndex, logId: logID, kindVersion: .init(kind: "", version: ""),
            integratedTime: payload.integratedTime,
            inclusionPromise: .init(signedEntryTimestamp: set), canonicalizedBody: body)
    }
}
