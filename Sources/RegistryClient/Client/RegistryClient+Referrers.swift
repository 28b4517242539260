import FoundationEssentials
import OCIModel

extension RegistryClient {
    /// The OCI 1.1 referrers of `digest` in this repository: the referrers
    /// API (`GET /v2/<name>/referrers/<digest>`), or, when the registry
    /// answers that it has none (404, 405, 400), the index that the fallback
    /// tag `sha256-<hex>` holds (none: no referrers). `artifactType` filters
    /// on the client too, since a registry may ignore the filter (it says
    /// so by leaving `OCI-Filters-Applied` out).
    public func referrers(of digest: Digest, artifactType: String? = nil) throws -> [Descriptor] {
        let listed: [Descriptor]
        if let apiAnswer = try referrersFromAPI(of: digest, artifactType: artifactType) {
            listed = apiAnswer
        } else {
            listed = try referrersFromFallbackTag(of: digest)
        }
        guard let artifactType else { return listed }
        return listed.filter { $0.artifactType == artifactType }
    }

    /// Whether the registry answers the referrers API for this repository
    /// (a registry with the API answers 200 with an empty index even for a
    /// digest that nothing refers to).
    public func hasReferrersAPI(probing digest: Digest) throws -> Bool {
        try referrersFromAPI(of: digest, artifactType: nil) != nil
    }

    /// After pushing `referrer` (a manifest whose `subject` is `subject`) to a
    /// registry without the referrers API, adds it to the fallback tag's index
    /// (created when missing), as the distribution-spec asks of clients. An
    /// entry of the same digest is replaced, others are kept.
    public func recordReferrerInFallbackTag(_ referrer: Descriptor, subject: Digest) throws {
        let tag = subject.referrersFallbackTag
        var index = ImageIndex(manifests: [])
        if let current = try fetchManifestIfPresent(tag) {
            guard MediaType.isIndex(current.mediaType),
                  let decoded = try? JSONDecoder().decode(ImageIndex.self, from: current.data) else {
                throw RegistryError.invalidResponse(
                    url: manifestDescription(tag), reason: "the referrers fallback tag does not hold an index")
            }
            index = decoded
        }
        index.manifests.removeAll { $0.digest == referrer.digest }
        index.manifests.append(referrer)
        index.mediaType = MediaType.ociIndex
        try putManifest(try JSONOutput.encode(index), mediaType: MediaType.ociIndex, reference: tag)
    }

    private func referrersFromAPI(of digest: Digest, artifactType: String?) throws -> [Descriptor]? {
        var path = "/v2/\(repository)/referrers/\(digest)"
        if let artifactType {
            path += "?artifactType=" + artifactType.percentEncoded(keeping: { byte in
                URLQueryCharacters.allowed(byte) && !"&+=?".utf8.contains(byte)
            })
        }
        let request = RegistryRequest(method: .get, target: .path(path),
                                      headers: [(name: "Accept", value: MediaType.ociIndex)], scope: pullScope)
        let what = "referrers of \(registry)/\(repository)@\(digest)"
        let response = try withRetries { _ in
            let response = try exchange(request) { _ in .collect(limit: Self.manifestSizeLimit) }
            if response.status == 429 || response.status >= 500 { throw failure(for: response, what: what) }
            return response
        }
        switch response.status {
        case 200:
            guard let index = try? JSONDecoder().decode(ImageIndex.self, from: response.body) else {
                throw RegistryError.invalidResponse(url: response.url.redactedForLog, reason: "referrers answer is not an image index")
            }
            return index.manifests
        case 400, 404, 405:
            return nil
        default:
            throw failure(for: response, what: what)
        }
    }

    private func referrersFromFallbackTag(of digest: Digest) throws -> [Descriptor] {
        let tag = digest.referrersFallbackTag
        guard let response = try fetchManifestIfPresent(tag) else { return [] }
        guard MediaType.isIndex(response.mediaType),
              let index = try? JSONDecoder().decode(ImageIndex.self, from: response.data) else { return [] }
        return index.manifests
    }
}
