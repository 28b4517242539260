import FoundationEssentials
import OCIModel
import RegistryClient

/// Finds the signatures attached to a digest in one repository, where cosign
/// puts them: (a) the tag scheme, tag `sha256-<hex>.sig`, a manifest whose
/// simple-signing layers carry the signature in an annotation; (b) OCI 1.1
/// referrers of artifact type `application/vnd.dev.sigstore.bundle.v0.3+json`
/// (the referrers API, or its fallback tag), each a sigstore bundle.
/// Registry failures other than "not there" are thrown; a malformed
/// signature is set aside with its reason.
public struct SignatureDiscovery: Sendable {
    public let client: RegistryClient
    /// Bounds what a hostile repository can make a check read.
    public static let maximumSignatures = 64
    public static let maximumDocumentSize: Int64 = 1 << 20

    public init(client: RegistryClient) { self.client = client }

    /// Where to look, in the order asked: the tag scheme costs one request
    /// for an unsigned digest, the referrers two (API, then fallback tag).
    public enum Place: CaseIterable, Sendable {
        case tagScheme
        case referrers
    }

    public func signatures(of digest: Digest, in place: Place) throws -> DiscoveredSignatures {
        var found = DiscoveredSignatures()
        switch place {
        case .tagScheme: try collectTagScheme(of: digest, into: &found)
        case .referrers: try collectReferrers(of: digest, into: &found)
        }
        return found
    }

    private func collectTagScheme(of digest: Digest, into found: inout DiscoveredSignatures) throws {
        let tag = digest.attachedTag(.signature)
        guard let response = try client.fetchManifestIfPresent(tag) else { return }
        guard let manifest = try? JSONDecoder().decode(ImageManifest.self, from: response.data) else {
            found.unreadable.append("\(tag): not an image manifest")
            return
        }
        for (position, layer) in manifest.layers.prefix(Self.maximumSignatures).enumerated() {
            let location = "\(tag) layer \(position + 1)"
            guard layer.mediaType == SimpleSigningPayload.mediaType else { continue }
            try Self.collect(at: location, into: &found) { try tagSchemeSignature(layer, location: location) }
        }
    }

    private func tagSchemeSignature(_ layer: Descriptor, location: String) throws -> AttachedSignature {
        let annotations = layer.annotations ?? [:]
        guard let encoded = annotations[CosignFormat.signatureAnnotation],
              let signature = Data(base64Encoded: encoded), !signature.isEmpty else {
            throw SignatureError.malformed(what: "signature", reason: "no base64 \(CosignFormat.signatureAnnotation) annotation")
        }
        let payload = try document(layer, what: "signature payload")
        var chain: [Data] = []
        if let leaf = annotations[CosignFormat.certificateAnnotation], !leaf.isEmpty {
            chain = try PEMBlocks.certificates(in: leaf)
            if let rest = annotations[CosignFormat.chainAnnotation], !rest.isEmpty {
                chain += try PEMBlocks.certificates(in: rest)
            }
        }
        let rekor = annotations[CosignFormat.bundleAnnotation].flatMap { $0.isEmpty ? nil : Data($0.utf8) }
        return AttachedSignature(location: location, content: .simpleSigning(payload: payload), signedBytes: payload,
                                 signature: signature, certificateChain: chain, rekorBundleAnnotation: rekor)
    }

    /// The signature `read` finds at `location`, or why it is unreadable
    /// (malformed, or a blob the registry does not have); other errors end discovery.
    private static func collect(
        at location: String, into found: inout DiscoveredSignatures, _ read: () throws -> AttachedSignature
    ) throws {
        do {
            found.signatures.append(try read())
        } catch let error as SignatureError {
            found.unreadable.append("\(location): \(error)")
        } catch RegistryError.notFound(let what, _) {
            found.unreadable.append("\(location): \(what) is missing")
        }
    }

    private func collectReferrers(of digest: Digest, into found: inout DiscoveredSignatures) throws {
        let referrers = try client.referrers(of: digest, artifactType: CosignFormat.bundleArtifactType)
        for referrer in referrers.prefix(Self.maximumSignatures) {
            let location = "referrer \(referrer.digest)"
            try Self.collect(at: location, into: &found) { try bundleSignature(referrer, location: location) }
        }
    }

    private func bundleSignature(_ referrer: Descriptor, location: String) throws -> AttachedSignature {
        let response = try client.fetchManifest(referrer.digest.description)
        guard let manifest = try? JSONDecoder().decode(ImageManifest.self, from: response.data) else {
            throw SignatureError.malformed(what: "referrer", reason: "not an image manifest")
        }
        guard let bundleLayer = manifest.layers.first(where: { $0.mediaType == CosignFormat.bundleArtifactType }) else {
            throw SignatureError.malformed(what: "referrer", reason: "no layer of type \(CosignFormat.bundleArtifactType)")
        }
        let bundle = try SigstoreBundle(json: try document(bundleLayer, what: "sigstore bundle"))
        let material = bundle.verificationMaterial
        let entries = material.tlogEntries ?? []
        if let envelope = bundle.dsseEnvelope {
            guard envelope.signatures.count == 1, let signature = envelope.signatures.first else {
                throw SignatureError.malformed(what: "DSSE envelope", reason: "needs exactly one signature")
            }
            return AttachedSignature(location: location, content: .dsse(envelope), signedBytes: envelope.preAuthenticationEncoding,
                                     signature: signature.sig.data, certificateChain: material.certificates,
                                     transparencyLogEntries: entries)
        }
        // A message signature covers the simple-signing payload carried beside the bundle.
        guard let messageSignature = bundle.messageSignature else {
            throw SignatureError.malformed(what: "sigstore bundle", reason: "no signature")
        }
        guard let payloadLayer = manifest.layers.first(where: { $0.mediaType == SimpleSigningPayload.mediaType }) else {
            throw SignatureError.malformed(what: "referrer", reason: "a message signature without a \(SimpleSigningPayload.mediaType) layer")
        }
        let payload = try document(payloadLayer, what: "signature payload")
        if let messageDigest = messageSignature.messageDigest, messageDigest.algorithm == "SHA2_256",
           SHA256Hasher.digest(of: payload).encoded != Hex.encode(messageDigest.digest.data) {
            throw SignatureError.rejected(reason: "the bundle's message digest is not the payload's")
        }
        return AttachedSignature(location: location, content: .simpleSigning(payload: payload), signedBytes: payload,
                                 signature: messageSignature.signature.data, certificateChain: material.certificates,
                                 transparencyLogEntries: entries)
    }
}

extension SignatureDiscovery {
    /// A payload or bundle blob, refused as malformed (not as a registry
    /// failure) when it claims to be larger than a signature document can be.
    private func document(_ descriptor: Descriptor, what: String) throws -> Data {
        guard descriptor.size >= 0, descriptor.size <= Self.maximumDocumentSize else {
            throw SignatureError.malformed(what: what, reason: "\(descriptor.size) bytes, more than \(Self.maximumDocumentSize)")
        }
        return try client.fetchSmallBlob(descriptor, limit: Self.maximumDocumentSize)
    }
}

/// PEM `CERTIFICATE` blocks to DER.
enum PEMBlocks {
    static func certificates(in text: String) throws(SignatureError) -> [Data] {
        var result: [Data] = []
        var rest = Substring(text)
        while let begin = rest.firstRange(of: "-----BEGIN CERTIFICATE-----") {
            guard let end = rest[begin.upperBound...].firstRange(of: "-----END CERTIFICATE-----") else {
                throw .malformed(what: "certificate", reason: "unterminated PEM block")
            }
            let body = rest[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
            guard let der = Data(base64Encoded: String(body)) else {
                throw .malformed(what: "certificate", reason: "PEM body is not base64")
            }
            result.append(der)
            rest = rest[end.upperBound...]
        }
        guard !result.isEmpty else { throw .malformed(what: "certificate", reason: "no PEM CERTIFICATE block") }
        return result
    }
}
