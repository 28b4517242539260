import FoundationEssentials
import OCIModel

/// Blob uploads and manifest pushes (distribution-spec "Push"): HEAD to skip
/// blobs already there, cross-repository mounts, streamed uploads (POST,
/// optional PATCHes, PUT `?digest=`), manifests by tag or digest.
/// Every request carries the `pull,push` scope so one token serves the push.
extension RegistryClient {
    /// The token scope for pushing to this repository.
    var pushScope: String { "repository:\(repository):pull,push" }

    /// Probes the registry and obtains the push token up front, so that a
    /// refusal is reported before any work starts.
    public func preparePush() throws {
        _ = try baseURL()
        _ = try withRetries { _ in try authenticator.authorization(scope: pushScope) }
    }

    /// Whether the repository already holds `digest` (HEAD on the blob).
    public func blobExists(_ digest: Digest) throws -> Bool {
        let request = RegistryRequest(method: .head, target: .path("/v2/\(repository)/blobs/\(digest)"), scope: pushScope)
        return try withRetries { _ in
            let response = try exchange(request) { _ in .discard }
            switch response.status {
            case 200: return true
            case 404: return false
            default: throw failure(for: response, what: "blob \(digest)")
            }
        }
    }

    /// Opens an upload, or mounts `digest` from `sourceRepository` on the same
    /// registry (the registry answers 201 when it could, 202 with a session
    /// when it could not: that session is the upload to use, not a second POST).
    public func startUpload(mounting digest: Digest? = nil, from sourceRepository: String? = nil) throws -> BlobUploadStart {
        var path = "/v2/\(repository)/blobs/uploads/"
        var scope = pushScope
        if let digest, let sourceRepository, sourceRepository != repository {
            path += "?mount=\(digest)&from=\(sourceRepository.percentEncoded(keeping: URLQueryCharacters.allowed))"
            scope += " repository:\(sourceRepository):pull"
        }
        let request = RegistryRequest(method: .post, target: .path(path), scope: scope)
        return try withRetries { _ in
            let response = try exchange(request) { _ in .discard }
            switch response.status {
            case 201 where digest != nil:
                return .mounted
            case 202:
                let location = try uploadLocation(response)
                let minimum = response.headers["OCI-Chunk-Min-Length"].flatMap { Int($0) } ?? 0
                return .session(BlobUploadSession(location: location, minimumChunk: minimum))
            default:
                throw failure(for: response, what: "blob upload to \(registry)/\(repository)")
            }
        }
    }

    /// Sends the next bytes of an upload with `PATCH`, streamed from
    /// `stream` as the socket drains: `length` bytes with their
    /// `Content-Range`, or (nil) everything up to the stream's end, with
    /// chunked transfer encoding. A failure is not retried here: the registry
    /// may hold part of the bytes and the stream cannot be read again, so the
    /// caller restarts the whole blob.
    public func uploadChunk(_ session: inout BlobUploadSession, from stream: ByteSource, length: Int64?) throws {
        var headers = [(name: "Content-Type", value: MediaType.octetStream)]
        if let length {
            guard length > 0 else { return }
            headers.append((name: "Content-Range", value: "\(session.offset)-\(session.offset + length - 1)"))
        }
        let body = HTTPUploadBody(streaming: stream, length: length)
        let request = RegistryRequest(
            method: .patch, target: .url(session.location), headers: headers, uploadBody: body, scope: pushScope)
        let response = try exchange(request) { _ in .discard }
        guard response.status == 202 else { throw failure(for: response, what: "blob upload chunk at byte \(session.offset)") }
        session.location = try uploadLocation(response)
        session.offset += body.sent
    }

    /// Closes the upload with `PUT ?digest=`, sending the last `finalLength`
    /// bytes of `stream` (the rest of the blob, or a whole blob) in the same
    /// request; no body when `stream` is nil.
    public func completeUpload(
        _ session: BlobUploadSession, digest: Digest, from stream: ByteSource? = nil, finalLength: Int64 = 0
    ) throws {
        guard var components = URLComponents(url: session.location, resolvingAgainstBaseURL: false) else {
            throw RegistryError.invalidResponse(url: session.location.redactedForLog, reason: "unusable upload location")
        }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "digest", value: digest.description)]
        // `+` in an upload state token must stay a literal plus for the registry.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacing("+", with: "%2B")
        guard let url = components.url else {
            throw RegistryError.invalidResponse(url: session.location.redactedForLog, reason: "unusable upload location")
        }
        var headers = [(name: "Content-Type", value: MediaType.octetStream)]
        var body: HTTPUploadBody?
        if let stream {
            body = HTTPUploadBody(streaming: stream, length: finalLength)
            if finalLength > 0 {
                headers.append((name: "Content-Range", value: "\(session.offset)-\(session.offset + finalLength - 1)"))
            }
        }
        let request = RegistryRequest(method: .put, target: .url(url), headers: headers, uploadBody: body, scope: pushScope)
        let response = try exchange(request) { _ in .discard }
        guard response.status == 201 else { throw failure(for: response, what: "blob \(digest) upload") }
    }

    /// Pushes a manifest or index under `reference` (a tag or its digest) with
    /// its media type. Returns the digest of `data`, checked against the
    /// registry's `Docker-Content-Digest` when it sends one.
    @discardableResult
    public func putManifest(_ data: Data, mediaType: String, reference: String) throws -> Digest {
        let digest = SHA256Hasher.digest(of: data)
        let request = RegistryRequest(
            method: .put, target: .path("/v2/\(repository)/manifests/\(reference)"),
            headers: [(name: "Content-Type", value: mediaType)], body: data, scope: pushScope)
        let what = manifestDescription(reference)
        let response = try withRetries { _ in
            let response = try exchange(request) { _ in .discard }
            guard response.status == 201 || response.status == 200 else { throw failure(for: response, what: what) }
            return response
        }
        if let header = response.headers["Docker-Content-Digest"], let announced = try? Digest(parsing: header) {
            try DigestVerifier.verify(announced, matches: digest)
        }
        return digest
    }

    /// `Location` of an upload response, resolved against the request URL.
    private func uploadLocation(_ response: HTTPResponse) throws -> URL {
        guard let location = response.headers["Location"],
              let url = URL(string: location, relativeTo: response.url)?.absoluteURL else {
            throw RegistryError.invalidResponse(url: response.url.redactedForLog, reason: "upload answer without a Location")
        }
        return url
    }
}
