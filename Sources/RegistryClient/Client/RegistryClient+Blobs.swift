import FoundationEssentials
import OCIModel

extension RegistryClient {
    /// Streams a blob into `consumer`, then calls `consumer.finish()`.
    ///
    /// Redirects (to a CDN or object store) are followed without credentials.
    /// A connection dropped mid-way resumes with `Range: bytes=N-`, feeding the
    /// same consumer; if the registry cannot resume exactly there the
    /// download fails with `resumeRefused` (a restart needs a fresh consumer).
    /// The bytes pass through as received: the consumer verifies them (the
    /// transfer's one `DigestVerifier`), so no blob is hashed twice.
    public func fetchBlob(_ digest: Digest, into consumer: BlobConsumer) throws {
        var delivered: Int64 = 0
        try withRetries { schedule in
            let offset = delivered
            var firstByte: ContinuousClock.Instant?
            var lastByte = ContinuousClock.now
            var request = blobRequest(digest)
            if offset > 0 { request.headers.append((name: "Range", value: "bytes=\(offset)-")) }
            do {
                let response = try exchange(request) { head in
                    if offset > 0 {
                        try Self.checkResumed(head, digest: digest, offset: offset)
                    } else if head.status != 200 {
                        throw RegistryError.invalidResponse(url: "blob \(digest)", reason: "unexpected HTTP \(head.status) for a whole blob")
                    }
                    return .stream { chunk in
                        try consumer.consume(chunk)
                        delivered += Int64(chunk.count)
                        lastByte = .now
                        if firstByte == nil { firstByte = lastByte }
                    }
                }
                guard response.isSuccess else { throw failure(for: response, what: "blob \(digest)") }
            } catch let failure as TransientFailure {
                if delivered > offset, let firstByte {
                    logger.debug("blob \(digest) dropped at byte \(delivered); resuming")
                    schedule.progressMade(firstByte: firstByte, lastByte: lastByte)
                }
                throw failure
            }
        }
        try consumer.finish()
    }

    func blobRequest(_ digest: Digest) -> RegistryRequest {
        RegistryRequest(method: .get, target: .path("/v2/\(repository)/blobs/\(digest)"), scope: pullScope)
    }

    /// A resumed download must be `206` starting exactly at `offset`.
    static func checkResumed(_ head: HTTPResponseHead, digest: Digest, offset: Int64) throws {
        guard head.status == 206 else {
            throw RegistryError.resumeRefused(digest, offset: offset,
                                              reason: "the server answered HTTP \(head.status) to a Range request instead of 206")
        }
        guard let range = head.headers["Content-Range"], let start = ContentRange.start(range) else {
            throw RegistryError.resumeRefused(digest, offset: offset, reason: "206 without a usable Content-Range")
        }
        guard start == offset else {
            throw RegistryError.resumeRefused(digest, offset: offset, reason: "the server resumed at byte \(start)")
        }
    }
}

/// `Content-Range: bytes START-END/TOTAL` (RFC 9110 §14.4).
enum ContentRange {
    static func start(_ value: String) -> Int64? {
        let trimmed = value.trimmingWhitespace()
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst("bytes ".count)
        guard let dash = spec.firstIndex(of: "-"), let slash = spec.firstIndex(of: "/"), dash < slash,
              let start = Int64(spec[..<dash].trimmingWhitespace()),
              let end = Int64(spec[spec.index(after: dash)..<slash]), end >= start else { return nil }
        return start
    }
}
