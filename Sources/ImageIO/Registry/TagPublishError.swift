import OCIModel

/// Why a pushed image could not be put under its tags, as one line.
public enum TagPublishError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The registry said no to the tag's manifest PUT (a 4xx): an immutable
    /// tag (ECR's ImageTagAlreadyExistsException), a policy, a bad name.
    case refused(tag: String, repository: String, status: Int, message: String)
    /// The tag still answered another digest when the wait ran out.
    case notVisible(tag: String, repository: String, pushed: Digest, seen: Digest?, waitedMs: Int)
    /// `platform_merge` needs one image to merge, not an index.
    case notSingleImage(Digest)
    /// Another writer kept moving the tag between our read and write.
    case keptMoving(tag: String, attempts: Int)
    /// The tag holds something that cannot take a platform entry.
    case unmergeable(tag: String, reason: String)

    public var description: String {
        switch self {
        case let .refused(tag, repository, status, message):
            "the registry refused to write tag '\(tag)' of \(repository) (HTTP \(status): \(message)); if the repository's tags are immutable, push under a new tag"
        case let .notVisible(tag, repository, pushed, seen, waitedMs):
            "\(repository):\(tag) still answers \(seen?.description ?? "nothing") after \(waitedMs) ms, not the pushed \(pushed) (RI_VISIBLE_TIMEOUT_MS bounds the wait)"
        case .notSingleImage(let digest):
            "platform_merge needs a single-platform image, but \(digest) is an index"
        case let .keptMoving(tag, attempts):
            "tag '\(tag)' changed between reading and writing it \(attempts) times; another push is merging into it"
        case let .unmergeable(tag, reason):
            "cannot merge into tag '\(tag)': \(reason)"
        }
    }
}
