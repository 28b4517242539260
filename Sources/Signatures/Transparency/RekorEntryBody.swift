import FoundationEssentials

/// The parts of a Rekor entry's canonicalized body that tie it to one
/// signature: the kinds cosign logs, `hashedrekord` v0.0.1 (a message
/// signature over a payload's SHA-256), `dsse` v0.0.1 and `intoto` v0.0.2 (a
/// DSSE envelope's payload hash and signatures).
struct RekorEntryBody {
    enum Content {
        /// `hashedrekord`: the SHA-256 of the signed bytes, one signature.
        case messageDigest(sha256: Data, signature: Data, verifier: Data)
        /// `dsse`/`intoto`: the SHA-256 of the envelope's payload, its signatures.
        case envelope(payloadSHA256: Data, signatures: [(signature: Data, verifier: Data)])
    }

    var kind: String
    var content: Content

    init(json: Data) throws(SignatureError) {
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(BodyHeader.self, from: json) else {
            throw .malformed(what: "transparency-log entry", reason: "the body is not a Rekor entry's JSON")
        }
        let kind = header.kind
        let version = header.apiVersion
        self.kind = kind
        switch (kind, version) {
        case ("hashedrekord", "0.0.1"):
            content = try Self.hashedRekord(try? decoder.decode(Body<HashedRekordSpec>.self, from: json).spec)
        case ("dsse", "0.0.1"):
            content = try Self.dsse(try? decoder.decode(Body<DSSESpec>.self, from: json).spec)
        case ("intoto", "0.0.2"):
            content = try Self.intoto(try? decoder.decode(Body<IntotoSpec>.self, from: json).spec)
        default:
            throw .rejected(reason: "transparency-log entry of kind \(kind) \(version) is not supported")
        }
    }

    /// Checks that the body logs `signature` over `signedBytes` (for DSSE,
    /// the pre-authentication encoding) by `verifier`: the PEM certificate or
    /// public key the body names must be `leafDER` when given, else carry `key`.
    func check(signature: Data, signedBytes: Data, key: VerificationKey, leafDER: Data?) throws(SignatureError) {
        let candidates: [(signature: Data, verifier: Data)]
        switch content {
        case .messageDigest(let digest, let logged, let verifier):
            guard digest == Hex.sha256(signedBytes) else {
                throw .rejected(reason: "transparency-log entry is for other signed content (hash differs)")
            }
            candidates = [(logged, verifier)]
        case .envelope(let payloadDigest, let signatures):
            guard let payload = DSSEPreAuthentication.payload(of: signedBytes),
                  payloadDigest == Hex.sha256(payload) else {
                throw .rejected(reason: "transparency-log entry is for another DSSE payload (hash differs)")
            }
            candidates = signatures
        }
        let sameSignature = candidates.filter { $0.signature == signature }
        guard !sameSignature.isEmpty else {
            throw .rejected(reason: "transparency-log entry logs another signature")
        }
        guard sameSignature.contains(where: { Self.names($0.verifier, key: key, leafDER: leafDER) }) else {
            throw .rejected(reason: "transparency-log entry names another \(leafDER == nil ? "key" : "certificate")")
        }
    }

    private static func names(_ verifierPEM: Data, key: VerificationKey, leafDER: Data?) -> Bool {
        if let certificate = try? Certificate(pem: verifierPEM) {
            if let leafDER { return certificate.der == leafDER }
            return (try? VerificationKey(certificateDER: certificate.der))?.spkiDER == key.spkiDER
        }
        guard leafDER == nil else { return false }
        return (try? VerificationKey(pem: String(decoding: verifierPEM, as: UTF8.self)))?.spkiDER == key.spkiDER
    }

    // MARK: kinds

    private static func hashedRekord(_ spec: HashedRekordSpec?) throws(SignatureError) -> Content {
        guard let spec, spec.data?.hash?.algorithm == "sha256", let digest = spec.data?.hash?.value.flatMap(Hex.decode),
              let logged = spec.signature?.content.flatMap(ProtoBytes.decodeBase64),
              let verifier = spec.signature?.publicKey?.content.flatMap(ProtoBytes.decodeBase64) else {
            throw .malformed(what: "transparency-log entry", reason: "hashedrekord body lacks a sha256 hash, signature or key")
        }
        return .messageDigest(sha256: digest, signature: logged, verifier: verifier)
    }

    private static func dsse(_ spec: DSSESpec?) throws(SignatureError) -> Content {
        guard let spec, spec.payloadHash?.algorithm == "sha256", let digest = spec.payloadHash?.value.flatMap(Hex.decode),
              let list = spec.signatures else {
            throw .malformed(what: "transparency-log entry", reason: "dsse body lacks a sha256 payload hash or signatures")
        }
        let signatures = list.compactMap { item -> (Data, Data)? in
            guard let signature = item.signature.flatMap(ProtoBytes.decodeBase64),
                  let verifier = item.verifier.flatMap(ProtoBytes.decodeBase64) else { return nil }
            return (signature, verifier)
        }
        return .envelope(payloadSHA256: digest, signatures: signatures)
    }

    private static func intoto(_ spec: IntotoSpec?) throws(SignatureError) -> Content {
        let content = spec?.content
        guard content?.payloadHash?.algorithm == "sha256", let digest = content?.payloadHash?.value.flatMap(Hex.decode),
              let list = content?.envelope?.signatures else {
            throw .malformed(what: "transparency-log entry", reason: "intoto body lacks a sha256 payload hash or signatures")
        }
        // intoto v0.0.2 stores each signature base64-encoded once more.
        let signatures = list.compactMap { item -> (Data, Data)? in
            guard let outer = item.sig.flatMap(ProtoBytes.decodeBase64),
                  let signature = ProtoBytes.decodeBase64(String(decoding: outer, as: UTF8.self)),
                  let verifier = item.publicKey.flatMap(ProtoBytes.decodeBase64) else { return nil }
            return (signature, verifier)
        }
        return .envelope(payloadSHA256: digest, signatures: signatures)
    }

    // MARK: the bodies' JSON (every field optional: a missing one is reported above)

    private struct BodyHeader: Decodable {
        var kind: String
        var apiVersion: String
    }

    private struct Body<Spec: Decodable>: Decodable {
        var spec: Spec
    }

    private struct HashValue: Decodable {
        var algorithm: String?
        var value: String?
    }

    private struct HashedRekordSpec: Decodable {
        var data: DataPart?
        var signature: SignaturePart?
        struct DataPart: Decodable { var hash: HashValue? }
        struct SignaturePart: Decodable {
            var content: String?
            var publicKey: KeyPart?
        }
        struct KeyPart: Decodable { var content: String? }
    }

    private struct DSSESpec: Decodable {
        var payloadHash: HashValue?
        var signatures: [Signature]?
        struct Signature: Decodable {
            var signature: String?
            var verifier: String?
        }
    }

    private struct IntotoSpec: Decodable {
        var content: Content?
        struct Content: Decodable {
            var payloadHash: HashValue?
            var envelope: Envelope?
        }
        struct Envelope: Decodable { var signatures: [Signature]? }
        struct Signature: Decodable {
            var sig: String?
            var publicKey: String?
        }
    }
}

/// DSSE's PAE, read back: `DSSEv1 <len> <type> <len> <payload>` → payload.
enum DSSEPreAuthentication {
    static func payload(of encoding: Data) -> Data? {
        let bytes = [UInt8](encoding)
        var cursor = 0
        func field() -> [UInt8]? {
            guard let space = bytes[cursor...].firstIndex(of: UInt8(ascii: " ")) else { return nil }
            defer { cursor = space + 1 }
            return Array(bytes[cursor..<space])
        }
        func length() -> Int? { field().flatMap { Int(String(decoding: $0, as: UTF8.self)) } }
        // Lengths are compared by subtraction: a huge one must not overflow.
        guard field() == Array("DSSEv1".utf8), let typeLength = length(), typeLength >= 0,
              typeLength < bytes.count - cursor, bytes[cursor + typeLength] == UInt8(ascii: " ") else { return nil }
        cursor += typeLength + 1
        guard let payloadLength = length(), payloadLength == bytes.count - cursor else { return nil }
        return Data(bytes[cursor...])
    }
}
