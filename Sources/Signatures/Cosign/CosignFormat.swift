/// The names cosign and sigstore give to what they attach to an image.
public enum CosignFormat {
    /// Tag scheme: the base64 signature over the layer (a simple-signing payload).
    public static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    /// Keyless, tag scheme: the PEM leaf certificate, its PEM chain, and the Rekor bundle (SET) JSON.
    public static let certificateAnnotation = "dev.sigstore.cosign/certificate"
    public static let chainAnnotation = "dev.sigstore.cosign/chain"
    public static let bundleAnnotation = "dev.sigstore.cosign/bundle"

    /// OCI 1.1 referrers: the artifact type of a sigstore bundle, and of its layer.
    public static let bundleArtifactType = SigstoreBundle.mediaTypeV03
    /// What the referrer manifest's annotations say of its bundle (as cosign writes them).
    public static let bundleContentAnnotation = "dev.sigstore.bundle.content"
    public static let bundlePredicateTypeAnnotation = "dev.sigstore.bundle.predicateType"

    /// DSSE: the payload type of an in-toto statement, and the predicate type
    /// of cosign's image signature in the new bundle format.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"
    public static let signPredicateType = "https://sigstore.dev/cosign/sign/v1"

    /// OCI's empty descriptor, the config of artifact manifests.
    public static let emptyMediaType = "application/vnd.oci.empty.v1+json"
}
