/// An image tarball destination: each `begin` streams into a fresh
/// `TarballAttempt` at `path`; the formats differ only in their
/// `TarballFormat` (member names, closing members) and scope.
public class TarballDestination: ImageDestination {
    public let path: String
    public let scope: DestinationScope
    private let makeAttempt: (String) throws -> DestinationAttempt

    init<Format: TarballFormat>(path: String, scope: DestinationScope, format: Format) {
        self.path = path
        self.scope = scope
        makeAttempt = { try TarballAttempt(path: $0, format: format) }
    }

    public func begin() throws -> DestinationAttempt {
        try makeAttempt(path)
    }
}
