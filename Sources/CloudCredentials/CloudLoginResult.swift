/// What every cloud login ends in: registry credentials (Basic user and
/// password, which the registry's own token flow then uses) and the
/// repository they are for (ECR names the registry host).
public struct CloudLoginResult: Sendable, Equatable {
    public var username: String
    public var password: String
    public var repository: String
}
