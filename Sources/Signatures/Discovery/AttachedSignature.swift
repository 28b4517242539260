import FoundationEssentials
import OCIModel

/// One signature found attached to a digest, read but not yet verified.
public struct AttachedSignature: Sendable {
    public enum Content: Sendable {
        /// A simple-signing payload (cosign's tag scheme, or a bundle's messageSignature).
        case simpleSigning(payload: Data)
        /// A DSSE envelope carrying an in-toto statement (cosign's new bundle format).
        case dsse(SigstoreBundle.DSSEEnvelope)
    }

    /// Where it was found, for messages: `sha256-<hex>.sig layer 2`, `referrer sha256:…`.
    public var location: String
    public var content: Content
    /// What the signature covers: the payload, or DSSE's pre-authentication encoding.
    public var signedBytes: Data
    public var signature: Data
    /// Keyless: the DER leaf certificate first, then its issuers; empty for a keyed signature.
    public var certificateChain: [Data]
    /// Tag scheme: the `dev.sigstore.cosign/bundle` annotation (Rekor's SET) as JSON.
    public var rekorBundleAnnotation: Data?
    /// Bundle: its transparency-log entries.
    public var transparencyLogEntries: [SigstoreBundle.TransparencyLogEntry]

    public init(location: String, content: Content, signedBytes: Data, signature: Data, certificateChain: [Data] = [],
                rekorBundleAnnotation: Data? = nil, transparencyLogEntries: [SigstoreBundle.TransparencyLogEntry] = []) {
        self.location = location
        self.content = content
        self.signedBytes = signedBytes
        self.signature = signature
        self.certificateChain = certificateChain
        self.rekorBundleAnnotation = rekorBundleAnnotation
        self.transparencyLogEntries = transparencyLogEntries
    }

    /// Checks that the signed document speaks of `digest` as a cosign image
    /// signature: the payload's `critical.image.docker-manifest-digest` and
    /// `critical.type`, or the in-toto statement's subject.
    public func checkNames(_ digest: Digest) throws(SignatureError) {
        switch content {
        case .simpleSigning(let payload):
            _ = try SimpleSigningPayload(json: payload, expecting: digest.description)
        case .dsse(let envelope):
            guard envelope.payloadType == CosignFormat.inTotoPayloadType else {
                throw .rejected(reason: "DSSE payload type is \(envelope.payloadType), not \(CosignFormat.inTotoPayloadType)")
            }
            _ = try InTotoStatement(json: envelope.payload.data, expecting: digest.description)
        }
    }
}

/// What discovery found for one digest: the readable signatures, and why the
/// unreadable ones were set aside.
public struct DiscoveredSignatures: Sendable {
    public var signatures: [AttachedSignature] = []
    public var unreadable: [String] = []
    public init() {}
}
