/// Hands a non-Sendable object to one other thread that, by the caller's
/// protocol, is the only one using it meanwhile; each use says why that holds.
struct SendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
