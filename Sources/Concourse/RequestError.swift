
/// A request from Concourse (or a person) that cannot be honoured. Each case
/// reads as one line naming the field at fault.
public enum RequestError: Error, Equatable, CustomStringConvertible {
    case malformedJSON(String)
    case unknownField(String)
    case missingField(String)
    case wrongType(field: String, expected: String, found: String)
    case invalidValue(field: String, reason: String)
    case unsupported(field: String, reason: String)
    /// A message worded as upstream's (users search for it), the field after.
    case upstreamWording(message: String, field: String)

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "invalid request: \(detail)"
        case .unknownField(let field): "invalid request: unknown field '\(field)'"
        case .missingField(let field): "invalid request: missing required field '\(field)'"
        case let .wrongType(field, expected, found): "invalid request: field '\(field)' must be a \(expected), not a \(found)"
        case let .invalidValue(field, reason): "invalid request: field '\(field)': \(reason)"
        case let .unsupported(field, reason): "invalid request: field '\(field)' is not supported by this resource (\(reason))"
        case let .upstreamWording(message, field): "\(message) (invalid request: field '\(field)')"
        }
    }
}
