extension Digest {
    /// The tag under which OCI 1.1's referrers fallback keeps an index of
    /// the artifacts that refer to this digest (`sha256-<hex>`), for
    /// registries without the referrers API.
    public var referrersFallbackTag: String { "\(algorithm)-\(encoded)" }

    /// A tag of cosign's scheme attached to this digest: `sha256-<hex>.sig`
    /// (signatures), `.att` (attestations), `.sbom`.
    public func attachedTag(_ suffix: AttachedTagSuffix) -> String { "\(referrersFallbackTag).\(suffix.rawValue)" }
}

/// The suffixes of cosign's tag scheme, in the order cosign writes them.
public enum AttachedTagSuffix: String, CaseIterable, Sendable {
    case signature = "sig"
    case attestation = "att"
    case sbom = "sbom"
}
