/// `out SRC`: push params.image to the repository.
public enum PushCommand {
    public static func run(_ request: OutRequest, sourceDirectory: String) throws -> ResourceResponse {
        throw RequestError.unsupported(field: "params.image", reason: "out is being implemented")
    }
}
