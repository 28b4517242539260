import Logging

/// The one fallback loop: try each place in order (a registry mirror, then
/// the origin); a failure, or a result the caller cannot use, moves on to
/// the next, and the last place's outcome stands.
public enum Fallback {
    public static func first<Candidate, Result>(
        _ candidates: [Candidate], label: (Candidate) -> String, logger: Logger,
        accepting isUsable: (Result) -> Bool = { _ in true },
        _ body: (Candidate) throws -> Result
    ) throws -> Result {
        var lastError: (any Error)?
        for (position, candidate) in candidates.enumerated() {
            let next = position + 1 < candidates.count ? label(candidates[position + 1]) : nil
            do {
                let result = try body(candidate)
                guard let next, !isUsable(result) else { return result }
                logger.info("\(label(candidate)) has nothing usable; trying \(next)")
            } catch {
                guard let next else { throw error }
                lastError = error
                logger.warning("\(label(candidate)) failed: \(error); trying \(next)")
            }
        }
        throw lastError ?? ImageError.io("nowhere to read the image from")
    }
}
