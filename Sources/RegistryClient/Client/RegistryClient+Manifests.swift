import FoundationEssentials
import OCIModel

extension RegistryClient {
    /// Manifests and indexes larger than this are refused (the distribution
    /// spec lets registries cap them at 4 MiB).
    static let manifestSizeLimit = 16 << 20

    /// The digest, media type and size of a manifest by tag or digest; nil
    /// when the registry has no such manifest. HEAD first; GET when HEAD is
    /// refused or does not name the digest and a specific media type.
    public func headManifest(_ reference: String) throws -> Descriptor? {
        let requestedDigest = try? Digest(parsing: reference)
        let response = try withRetries { _ in
            let response = try exchange(manifestRequest(.head, reference)) { _ in .discard }
            if response.status == 429 || response.status >= 500 {
                throw Self.failure(for: response, what: manifestDescription(reference))
            }
            return response
        }
        switch response.status {
        case 200:
            let mediaType = ManifestMediaType.resolve(contentType: response.headers["Content-Type"], body: nil)
            if let digestText = response.headers["Docker-Content-Digest"],
               let digest = try? Digest(parsing: digestText),
               requestedDigest == nil || requestedDigest == digest,
               MediaType.acceptedManifests.contains(mediaType),
               let length = response.headers["Content-Length"].flatMap({ Int64($0) }) {
                return Descriptor(mediaType: mediaType, digest: digest, size: length)
            }
        case 404:
            return nil
        case 401:
            throw failure(for: response, what: manifestDescription(reference))
        default:
            logger.debug("HEAD manifest answered \(response.status); asking with GET")
        }
        return try fetchManifestIfPresent(reference)?.descriptor
    }

    /// `fetchManifest` in one GET, nil when the registry has no such tag or
    /// digest (an attached-artifact tag, a fallback tag, a HEAD-less registry).
    public func fetchManifestIfPresent(_ reference: String) throws -> ManifestResponse? {
        do {
            return try fetchManifest(reference)
        } catch RegistryError.notFound {
            return nil
        }
    }

    /// A manifest or index by tag or digest, verified: by digest it must hash
    /// to that digest; by tag it must hash to `Docker-Content-Digest` when the
    /// registry sends one.
    public func fetchManifest(_ reference: String) throws -> ManifestResponse {
        let requestedDigest = try? Digest(parsing: reference)
        let what = manifestDescription(reference)
        let response = try withRetries { _ in
            let response = try exchange(manifestRequest(.get, reference)) { _ in
                .collect(limit: Self.manifestSizeLimit)
            }
            guard response.status == 200 else { throw failure(for: response, what: what) }
            return response
        }
        let actual = SHA256Hasher.digest(of: response.body)
        if let requestedDigest { try DigestVerifier.verify(actual, matches: requestedDigest) }
        if let header = response.headers["Docker-Content-Digest"], let announced = try? Digest(parsing: header) {
            try DigestVerifier.verify(actual, matches: announced)
        }
        let mediaType = ManifestMediaType.resolve(contentType: response.headers["Content-Type"], body: response.body)
        return ManifestResponse(data: response.body, mediaType: mediaType, digest: actual)
    }

    func manifestRequest(_ method: HTTPRequest.Method, _ reference: String) -> RegistryRequest {
        RegistryRequest(method: method, target: .path("/v2/\(repository)/manifests/\(reference)"),
                        headers: [(name: "Accept", value: ManifestMediaType.acceptHeader)], scope: pullScope)
    }

    func manifestDescription(_ reference: String) -> String {
        let separator = reference.hasPrefix("sha256:") ? "@" : ":"
        return "manifest \(registry)/\(repository)\(separator)\(reference)"
    }
}
