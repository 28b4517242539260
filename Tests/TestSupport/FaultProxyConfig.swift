/// Faults `fault_proxy.py` injects; every field is optional (nil = off).
/// Mirrors the proxy's JSON config.
public struct FaultProxyConfig: Encodable, Sendable {
    /// Answer with `status` (429 or 503) this many times, then forward normally.
    public struct InjectedStatus: Encodable, Sendable {
        public var count: Int
        /// `Retry-After` header value in seconds (nil: no header).
        public var retryAfter: Int?
        /// Only requests with this method count (nil: any).
        public var method: String?
        /// Only paths matching this regular expression count (nil: any).
        public var pathPattern: String?
        /// Docker Hub's `ratelimit-remaining` value (`"0;w=21600"`) on the
        /// injected answers, with `ratelimit-limit: 100;w=21600` (nil: none).
        public var rateLimitRemaining: String?

        public init(count: Int, retryAfter: Int? = nil, method: String? = nil, pathPattern: String? = nil,
                    rateLimitRemaining: String? = nil) {
            self.rateLimitRemaining = rateLimitRemaining
            self.count = count
            self.retryAfter = retryAfter
            self.method = method
            self.pathPattern = pathPattern
        }
    }

    /// Blob GETs: send the headers and `afterBytes` of the body, then drop the connection, `times` times.
    public struct CutBlobBody: Encodable, Sendable {
        public var afterBytes: Int
        public var times: Int
        /// Wait this long after the bytes before dropping (lets a token expire meanwhile).
        public var pauseMs: Int?

        public init(afterBytes: Int, times: Int = 1, pauseMs: Int? = nil) {
            self.afterBytes = afterBytes
            self.times = times
            self.pauseMs = pauseMs
        }
    }

    /// Rewrites `/v2/<name>/tags/list`: order (or a fixed list) and pagination with `Link` headers.
    public struct TagOrder: Encodable, Sendable {
        public enum Order: String, Encodable, Sendable { case asis, reverse, shuffle }
        public var order: Order
        /// Serve this list instead of the registry's.
        public var tags: [String]?
        /// Tags per page (nil: all on one page unless the client sends `n`).
        public var pageSize: Int?
        public var seed: Int?

        public init(order: Order = .asis, tags: [String]? = nil, pageSize: Int? = nil, seed: Int? = nil) {
            self.order = order
            self.tags = tags
            self.pageSize = pageSize
            self.seed = seed
        }
    }

    /// Manifest PUTs matching `pathPattern` answer `status` with a registry
    /// error body: a registry refusing to overwrite an immutable tag.
    public struct RefusedManifestPut: Encodable, Sendable {
        public var status: Int
        public var code: String
        public var message: String
        public var pathPattern: String?

        public init(status: Int = 400, code: String = "TAG_INVALID", message: String, pathPattern: String? = nil) {
            self.status = status
            self.code = code
            self.message = message
            self.pathPattern = pathPattern
        }
    }

    public var latencyMs: Int?
    public var refuseManifestPut: RefusedManifestPut?
    /// Answer 404 to matching requests `count` times (as if a tag did not exist yet).
    public var hideManifest: InjectedStatus?
    /// After a manifest PUT by tag, GET/HEAD of the tag answer what it held before for this long.
    public var staleManifestsMs: Int?
    public var tooManyRequests: InjectedStatus?
    public var serviceUnavailable: InjectedStatus?
    public var cutBlobBody: CutBlobBody?
    /// HEAD on `/v2/<name>/…` answers 405.
    public var headNotAllowed: Bool?
    /// Drop `Docker-Content-Digest` from every response.
    public var stripDigestHeader: Bool?
    /// Blob GETs answer 307 to the proxy under this host name (e.g. "localhost"
    /// while clients use 127.0.0.1); `FaultProxyStats.authorizationOnRedirect` tells
    /// whether the `Authorization` header followed.
    public var redirectBlobsToHost: String?
    public var tagOrder: TagOrder?
    /// Blob GETs: drop the client's `Range` header, so a resume gets 200 and the whole blob.
    public var ignoreRange: Bool?
    /// Blob GETs: send the headers and `afterBytes` of the body, then nothing
    /// (the connection stays open), `times` times.
    public var stallBlobBody: CutBlobBody?
    /// Close a kept-alive connection once it has been idle this long.
    public var idleCloseMs: Int?
    /// A Bearer token past its `exp` goes on without `Authorization`, so the registry answers 401.
    public var rejectExpiredTokens: Bool?
    /// Blob-upload PATCH/PUT: read `afterBytes` of the body, then drop the connection, `times` times.
    public var cutUploadBody: CutBlobBody?

    public init(
        latencyMs: Int? = nil, tooManyRequests: InjectedStatus? = nil, serviceUnavailable: InjectedStatus? = nil,
        cutBlobBody: CutBlobBody? = nil, headNotAllowed: Bool? = nil, stripDigestHeader: Bool? = nil,
        redirectBlobsToHost: String? = nil, tagOrder: TagOrder? = nil, ignoreRange: Bool? = nil,
        stallBlobBody: CutBlobBody? = nil, idleCloseMs: Int? = nil, rejectExpiredTokens: Bool? = nil,
        cutUploadBody: CutBlobBody? = nil, refuseManifestPut: RefusedManifestPut? = nil, staleManifestsMs: Int? = nil,
        hideManifest: InjectedStatus? = nil
    ) {
        self.hideManifest = hideManifest
        self.refuseManifestPut = refuseManifestPut
        self.staleManifestsMs = staleManifestsMs
        self.cutUploadBody = cutUploadBody
        self.stallBlobBody = stallBlobBody
        self.idleCloseMs = idleCloseMs
        self.rejectExpiredTokens = rejectExpiredTokens
        self.ignoreRange = ignoreRange
        self.latencyMs = latencyMs
        self.tooManyRequests = tooManyRequests
        self.serviceUnavailable = serviceUnavailable
        self.cutBlobBody = cutBlobBody
        self.headNotAllowed = headNotAllowed
        self.stripDigestHeader = stripDigestHeader
        self.redirectBlobsToHost = redirectBlobsToHost
        self.tagOrder = tagOrder
    }
}

/// Counters of `fault_proxy.py` (`GET /__stats`).
public struct FaultProxyStats: Decodable, Sendable {
    /// Requests that reached the proxy (control endpoints excluded).
    public let total: Int
    /// "METHOD /path" -> count (query strings excluded).
    public let requests: [String: Int]
    public let injected429: Int
    public let injected503: Int
    /// Connections dropped mid-body.
    public let cuts: Int
    /// Requests that arrived at the redirect target.
    public let redirected: Int
    /// For each request at the redirect target: did it carry `Authorization`?
    public let authorizationOnRedirect: [Bool]
    /// `Range` header values received, in order.
    public let ranges: [String]
    /// Forward-proxy mode: "METHOD absolute-URL" (or "CONNECT host:port") per request.
    public let forwarded: [String]
    public let headNotAllowed: Int
    /// Requests that carried an `Authorization` header.
    public let authorizationSeen: Int
    /// Blob bodies left hanging (`stallBlobBody`).
    public let stalls: Int
    /// Kept-alive connections closed for idling (`idleCloseMs`).
    public let idleCloses: Int
    /// Requests whose Bearer token had expired (`rejectExpiredTokens`).
    public let expiredTokens: Int
    /// Blob body bytes sent to clients, all responses together.
    public let blobBodyBytes: Int
    /// `POST …/blobs/uploads/?mount=…&from=…` requests (granted or refused).
    public let mountRequests: Int
    /// Most blob-upload `PATCH`/`PUT` requests in progress at one time.
    public let uploadsInFlightMax: Int
    /// Most blob `GET`s being answered at one time.
    public let blobDownloadsInFlightMax: Int
    /// Requests that were not HTTP (a TLS handshake sent to this plain-http proxy).
    public let malformedRequests: Int
    /// Manifest PUTs answered by `refuseManifestPut`.
    public let refusedPuts: Int
    /// Manifest GET/HEADs answered with the pre-PUT content (`staleManifestsMs`).
    public let staleAnswers: Int
    /// Requests answered 404 by `hideManifest`.
    public let hiddenManifests: Int

    /// Requests with `method` whose path contains `pathFragment`.
    public func count(_ method: String, pathContaining pathFragment: String = "") -> Int {
        requests.reduce(0) { sum, item in
            let parts = item.key.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0] == method, pathFragment.isEmpty || parts[1].contains(pathFragment) else {
                return sum
            }
            return sum + item.value
        }
    }
}
