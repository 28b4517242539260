/// A destination written at `path`, each `begin` starting a fresh attempt
/// (a staging directory or staged file renamed into place at `commit`); the
/// formats differ only in the attempt they start and in their scope.
public class PathDestination: ImageDestination {
    public let path: String
    public let scope: DestinationScope
    private let makeAttempt: (String) throws -> DestinationAttempt

    init(path: String, scope: DestinationScope, attempt: @escaping (String) throws -> DestinationAttempt) {
        self.path = path
        self.scope = scope
        makeAttempt = attempt
    }

    public func begin() throws -> DestinationAttempt {
        try makeAttempt(path)
    }
}
