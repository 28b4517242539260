/// Why a push failed before or beside the registry's own errors.
public enum PushError: Error, Sendable, Equatable, CustomStringConvertible {
    case compression(String)
    case unsupportedManifest(String)

    public var description: String {
        switch self {
        case .compression(let message): "compressing a layer failed: \(message)"
        case .unsupportedManifest(let message): "cannot push: \(message)"
        }
    }
}
