/// Hands a non-Sendable value (an object, a closure) to another thread that,
/// by the caller's protocol, is the only one using it meanwhile, or that may
/// use it concurrently because the caller asked for that; each use says why.
public struct SendableBox<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
