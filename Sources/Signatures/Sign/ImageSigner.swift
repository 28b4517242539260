import FoundationEssentials
import OCIModel
import RegistryClient

/// Signs a pushed digest as `cosign sign --key` does and attaches the
/// signature in the repository `client` names:
/// - `.tag`: cosign's tag scheme. The simple-signing payload is a layer of
///   the manifest tagged `sha256-<hex>.sig`, its signature in the layer's
///   annotation; signatures already there are kept (as cosign appends).
/// - `.bundle`: an OCI 1.1 referrer (artifact type
///   `application/vnd.dev.sigstore.bundle.v0.3+json`, subject the digest)
///   holding a sigstore bundle: a DSSE envelope over an in-toto statement
///   whose subject is the digest, as `cosign sign --new-bundle-format`
///   writes; recorded in the referrers fallback tag when the registry has no
///   referrers API.
public struct ImageSigner: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case tag
        case bundle
    }

    public let key: SigningKey
    public let format: Format

    public init(key: SigningKey, format: Format) {
        self.key = key
        self.format = format
    }

    /// Signs `subject` (the pushed manifest or index) named as
    /// `dockerReference` (`host/repository`); returns where the signature went.
    @discardableResult
    public func sign(_ subject: Descriptor, dockerReference: String, in client: RegistryClient) throws -> String {
        switch format {
        case .tag: return try signTagScheme(subject.digest, dockerReference: dockerReference, in: client)
        case .bundle: return try signBundle(subject, dockerReference: dockerReference, in: client)
        }
    }

    private func signTagScheme(_ digest: Digest, dockerReference: String, in client: RegistryClient) throws -> String {
        let payload = try JSONOutput.encode(SimpleSigningPayload(dockerReference: dockerReference, digest: digest.description))
        let signature = try key.sign(payload)
        let payloadDigest = try client.pushSmallBlob(payload)
        let layer = Descriptor(mediaType: SimpleSigningPayload.mediaType, digest: payloadDigest, size: Int64(payload.count),
                               annotations: [CosignFormat.signatureAnnotation: signature.base64EncodedString()])
        let tag = digest.attachedTag(.signature)
        var layers: [Descriptor] = []
        if try client.headManifest(tag) != nil,
           let existing = try? JSONDecoder().decode(ImageManifest.self, from: try client.fetchManifest(tag).data) {
            layers = existing.layers.filter { $0.mediaType == SimpleSigningPayload.mediaType }
        }
        layers.append(layer)
        // The config cosign writes: an image config whose rootfs lists the payloads.
        let config = Data(#"{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":[\#(layers.map { "\"\($0.digest)\"" }.joined(separator: ","))]},"config":{}}"#.utf8)
        let configDigest = try client.pushSmallBlob(config)
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: configDigest, size: Int64(config.count)), layers: layers)
        try client.putManifest(try JSONOutput.encode(manifest), mediaType: MediaType.ociManifest, reference: tag)
        return "tag \(tag)"
    }

    private func signBundle(_ subject: Descriptor, dockerReference: String, in client: RegistryClient) throws -> String {
        let statement = InTotoStatement(
            subject: [.init(name: dockerReference, digest: [subject.digest.algorithm: subject.digest.encoded])],
            predicateType: CosignFormat.signPredicateType)
        let payload = try JSONOutput.encode(statement)
        var envelope = SigstoreBundle.DSSEEnvelope(payload: payload, payloadType: CosignFormat.inTotoPayloadType, signatures: [])
        envelope.signatures = [.init(sig: try key.sign(envelope.preAuthenticationEncoding))]
        let hint = Data(SHA256Hasher.digest(of: key.publicKey.spkiDER).encoded.utf8)
        let bundle = SigstoreBundle(
            verificationMaterial: .init(publicKey: .init(hint: hint.base64EncodedString()), tlogEntries: []),
            dsseEnvelope: envelope)
        let bundleData = try JSONOutput.encode(bundle)
        let bundleDigest = try client.pushSmallBlob(bundleData)
        let empty = Data("{}".utf8)
        let emptyDigest = try client.pushSmallBlob(empty)
        var manifest = ImageManifest(
            config: Descriptor(mediaType: CosignFormat.emptyMediaType, digest: emptyDigest, size: Int64(empty.count)),
            layers: [Descriptor(mediaType: CosignFormat.bundleArtifactType, digest: bundleDigest, size: Int64(bundleData.count))],
            annotations: [CosignFormat.bundleContentAnnotation: "dsse-envelope",
                          CosignFormat.bundlePredicateTypeAnnotation: CosignFormat.signPredicateType])
        manifest.artifactType = CosignFormat.bundleArtifactType
        manifest.subject = Descriptor(mediaType: subject.mediaType, digest: subject.digest, size: subject.size)
        let document = try JSONOutput.encode(manifest)
        let digest = try client.putManifest(document, mediaType: MediaType.ociManifest, reference: SHA256Hasher.digest(of: document).description)
        if !(try client.hasReferrersAPI(probing: subject.digest)) {
            let referrer = Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: Int64(document.count),
                                      annotations: manifest.annotations, artifactType: CosignFormat.bundleArtifactType)
            try client.recordReferrerInFallbackTag(referrer, subject: subject.digest)
        }
        return "referrer \(digest)"
    }
}
