import OCIModel

/// A failure worth retrying (connection trouble, 429, 500/502/503/504).
/// Internal: callers see `RegistryError.tooManyRetries` once retries run out.
struct TransientFailure: Error {
    var cause: String
    var retryAfter: Duration?
}
