import FoundationEssentials

/// What version discovery needs from a registry. Implementations may answer
/// batch calls concurrently but must return results in request order.
public protocol CheckRegistry {
    /// Every tag of the repository, in the registry's order (all pages).
    func listTags() throws -> [String]

    /// The manifest digest (`sha256:…`) each tag points to; nil when the
    /// registry answers 404 for that tag. Other failures throw.
    func digests(for tags: [String]) throws -> [String?]

    /// Whether a manifest with this digest exists (HEAD by digest; 404 → false).
    func manifestExists(digest: String) throws -> Bool

    /// The image config `created` time of each tag (for an index, of the image
    /// chosen for the platform); nil when the config has no `created`.
    func createdTimes(for tags: [String]) throws -> [Date?]
}
