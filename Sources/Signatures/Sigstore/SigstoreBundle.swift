import FoundationEssentials

/// A sigstore bundle (protobuf-specs `dev.sigstore.bundle.v1.Bundle`, media
/// types `application/vnd.dev.sigstore.bundle+json;version=0.1` to `0.3` and
/// `application/vnd.dev.sigstore.bundle.v0.3+json`): the verification
/// material (certificate, chain or public-key hint; transparency-log
/// entries; timestamps) and exactly one of a message signature or a DSSE
/// envelope. Only the model: verification lives elsewhere.
public struct SigstoreBundle: Codable, Sendable {
    public var mediaType: String
    public var verificationMaterial: VerificationMaterial
    public var messageSignature: MessageSignature?
    public var dsseEnvelope: DSSEEnvelope?

    public static let mediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json"

    public init(mediaType: String = SigstoreBundle.mediaTypeV03, verificationMaterial: VerificationMaterial,
                messageSignature: MessageSignature? = nil, dsseEnvelope: DSSEEnvelope? = nil) {
        self.mediaType = mediaType
        self.verificationMaterial = verificationMaterial
        self.messageSignature = messageSignature
        self.dsseEnvelope = dsseEnvelope
    }

    /// Reads a bundle's JSON; exactly one of `messageSignature` and
    /// `dsseEnvelope` must be present.
    public init(json: Data) throws(SignatureError) {
        do {
            self = try JSONDecoder().decode(SigstoreBundle.self, from: json)
        } catch {
            throw .malformed(what: "sigstore bundle", reason: "not a bundle's JSON")
        }
        guard (messageSignature == nil) != (dsseEnvelope == nil) else {
            throw .malformed(what: "sigstore bundle", reason: "needs exactly one of messageSignature and dsseEnvelope")
        }
    }

    public struct VerificationMaterial: Codable, Sendable {
        /// v0.3: the leaf certificate alone.
        public var certificate: X509Certificate?
        /// v0.1 and v0.2: the leaf first, then its issuers.
        public var x509CertificateChain: X509CertificateChain?
        /// Keyed signing: a hint naming the key (its fingerprint, say).
        public var publicKey: PublicKeyIdentifier?
        public var tlogEntries: [TransparencyLogEntry]?
        public var timestampVerificationData: TimestampVerificationData?

        public init(certificate: X509Certificate? = nil, x509CertificateChain: X509CertificateChain? = nil,
                    publicKey: PublicKeyIdentifier? = nil, tlogEntries: [TransparencyLogEntry]? = nil,
                    timestampVerificationData: TimestampVerificationData? = nil) {
            self.certificate = certificate
            self.x509CertificateChain = x509CertificateChain
            self.publicKey = publicKey
            self.tlogEntries = tlogEntries
            self.timestampVerificationData = timestampVerificationData
        }

        /// The leaf certificate first, then any issuers, as DER.
        public var certificates: [Data] {
            if let certificate { return [certificate.rawBytes.data] }
            return x509CertificateChain?.certificates.map(\.rawBytes.data) ?? []
        }
    }

    public struct X509Certificate: Codable, Sendable {
        public var rawBytes: ProtoBytes
        public init(der: Data) { rawBytes = ProtoBytes(der) }
    }

    public struct X509CertificateChain: Codable, Sendable {
        public var certificates: [X509Certificate]
        public init(certificates: [X509Certificate]) { self.certificates = certificates }
    }

    public struct PublicKeyIdentifier: Codable, Sendable {
        public var hint: String?
        public init(hint: String?) { self.hint = hint }
    }

    /// A Rekor entry: its body as the log canonicalised it, when and where it
    /// was logged, and the log's promise (SET) and/or inclusion proof.
    public struct TransparencyLogEntry: Codable, Sendable {
        public var logIndex: ProtoInt64
        public var logId: LogID
        public var kindVersion: KindVersion
        public var integratedTime: ProtoInt64
        public var inclusionPromise: InclusionPromise?
        public var inclusionProof: InclusionProof?
        public var canonicalizedBody: ProtoBytes

        public init(logIndex: Int64, logId: Data, kindVersion: KindVersion, integratedTime: Int64,
                    inclusionPromise: InclusionPromise? = nil, inclusionProof: InclusionProof? = nil,
                    canonicalizedBody: Data) {
            self.logIndex = ProtoInt64(logIndex)
            self.logId = LogID(keyId: ProtoBytes(logId))
            self.kindVersion = kindVersion
            self.integratedTime = ProtoInt64(integratedTime)
            self.inclusionPromise = inclusionPromise
            self.inclusionProof = inclusionProof
            self.canonicalizedBody = ProtoBytes(canonicalizedBody)
        }

        // protobuf's JSON leaves out fields at their default: index 0 and,
        // in Rekor v2 entries, the integrated time.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            logIndex = try container.decodeIfPresent(ProtoInt64.self, forKey: .logIndex) ?? ProtoInt64(0)
            logId = try container.decode(LogID.self, forKey: .logId)
            kindVersion = try container.decode(KindVersion.self, forKey: .kindVersion)
            integratedTime = try container.decodeIfPresent(ProtoInt64.self, forKey: .integratedTime) ?? ProtoInt64(0)
            inclusionPromise = try container.decodeIfPresent(InclusionPromise.self, forKey: .inclusionPromise)
            inclusionProof = try container.decodeIfPresent(InclusionProof.self, forKey: .inclusionProof)
            canonicalizedBody = try container.decode(ProtoBytes.self, forKey: .canonicalizedBody)
        }
    }

    public struct LogID: Codable, Hashable, Sendable {
        /// SHA-256 of the log's public key (DER SubjectPublicKeyInfo).
        public var keyId: ProtoBytes
        public init(keyId: ProtoBytes) { self.keyId = keyId }
    }

    public struct KindVersion: Codable, Sendable {
        public var kind, version: String
        public init(kind: String, version: String) {
            self.kind = kind
            self.version = version
        }
    }

    public struct InclusionPromise: Codable, Sendable {
        public var signedEntryTimestamp: ProtoBytes
        public init(signedEntryTimestamp: Data) { self.signedEntryTimestamp = ProtoBytes(signedEntryTimestamp) }
    }

    public struct InclusionProof: Codable, Sendable {
        public var logIndex: ProtoInt64
        public var rootHash: ProtoBytes
        public var treeSize: ProtoInt64
        public var hashes: [ProtoBytes]
        public var checkpoint: Checkpoint?

        public init(logIndex: Int64, rootHash: Data, treeSize: Int64, hashes: [Data], checkpoint: Checkpoint?) {
            self.logIndex = ProtoInt64(logIndex)
            self.rootHash = ProtoBytes(rootHash)
            self.treeSize = ProtoInt64(treeSize)
            self.hashes = hashes.map(ProtoBytes.init)
            self.checkpoint = checkpoint
        }

        // Left out when at their default (index 0, a one-leaf tree's empty path).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            logIndex = try container.decodeIfPresent(ProtoInt64.self, forKey: .logIndex) ?? ProtoInt64(0)
            rootHash = try container.decode(ProtoBytes.self, forKey: .rootHash)
            treeSize = try container.decode(ProtoInt64.self, forKey: .treeSize)
            hashes = try container.decodeIfPresent([ProtoBytes].self, forKey: .hashes) ?? []
            checkpoint = try container.decodeIfPresent(Checkpoint.self, forKey: .checkpoint)
        }

        public struct Checkpoint: Codable, Sendable {
            /// A signed note: origin, tree size, base64 root hash, then signatures.
            public var envelope: String
            public init(envelope: String) { self.envelope = envelope }
        }
    }

    public struct TimestampVerificationData: Codable, Sendable {
        public var rfc3161Timestamps: [RFC3161Timestamp]?

        public struct RFC3161Timestamp: Codable, Sendable {
            public var signedTimestamp: ProtoBytes
        }
    }

    public struct MessageSignature: Codable, Sendable {
        public var messageDigest: MessageDigest?
        public var signature: ProtoBytes

        public init(messageDigest: MessageDigest?, signature: Data) {
            self.messageDigest = messageDigest
            self.signature = ProtoBytes(signature)
        }

        public struct MessageDigest: Codable, Sendable {
            /// `SHA2_256`, `SHA2_384`, `SHA2_512`.
            public var algorithm: String
            public var digest: ProtoBytes
            public init(algorithm: String, digest: Data) {
                self.algorithm = algorithm
                self.digest = ProtoBytes(digest)
            }
        }
    }

    /// A DSSE envelope: the signature covers PAE(payloadType, payload).
    public struct DSSEEnvelope: Codable, Sendable {
        public var payload: ProtoBytes
        public var payloadType: String
        public var signatures: [Signature]

        public init(payload: Data, payloadType: String, signatures: [Signature]) {
            self.payload = ProtoBytes(payload)
            self.payloadType = payloadType
            self.signatures = signatures
        }

        public struct Signature: Codable, Sendable {
            public var sig: ProtoBytes
            public var keyid: String?
            public init(sig: Data, keyid: String? = nil) {
                self.sig = ProtoBytes(sig)
                self.keyid = keyid
            }
        }

        /// DSSE's pre-authentication encoding, what the signatures cover:
        /// `DSSEv1 <len(type)> <type> <len(body)> <body>`.
        public var preAuthenticationEncoding: Data {
            let body = payload.data
            var encoded = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(body.count) ".utf8)
            encoded.append(body)
            return encoded
        }
    }
}
