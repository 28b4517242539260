import Foundation
@testable import ResourceCore

/// In-memory registry for the pure check-planning tests: tags point at digest
/// labels; every lookup is recorded so tests can assert what was *not* asked.
final class CheckFakeRegistry: CheckRegistry {
    /// Tag → digest, listed in `order` (the registry's order).
    let tagDigests: [String: String]
    let order: [String]
    /// Digests that exist without (or besides) a tag.
    let extraDigests: Set<String>
    let created: [String: Date]

    private(set) var digestLookups: [[String]] = []
    private(set) var existenceLookups: [String] = []
    private(set) var createdLookups: [[String]] = []

    /// - Parameters:
    ///   - tags: tag → digest label.
    ///   - order: listing order; default is sorted, as CNCF distribution lists tags.
    ///   - listedButMissing: tags listed whose manifest answers 404.
    init(tags: [String: String], order: [String]? = nil, listedButMissing: [String] = [],
         extraDigests: Set<String> = [], created: [String: Date] = [:]) {
        self.tagDigests = tags
        self.order = order ?? (Array(tags.keys) + listedButMissing).sorted()
        self.extraDigests = extraDigests
        self.created = created
    }

    var lookedUpTags: [String] { digestLookups.flatMap { $0 } }

    func listTags() throws -> [String] { order }

    func digests(for tags: [String]) throws -> [String?] {
        digestLookups.append(tags)
        return tags.map { tagDigests[$0] }
    }

    func manifestExists(digest: String) throws -> Bool {
        existenceLookups.append(digest)
        return extraDigests.contains(digest) || tagDigests.values.contains(digest)
    }

    func createdTimes(for tags: [String]) throws -> [Date?] {
        createdLookups.append(tags)
        return tags.map { created[$0] }
    }
}
