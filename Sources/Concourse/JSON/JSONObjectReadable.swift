import ResourceCore

/// A value read from one nested object of a request, so that
/// `reader.object(key, as: T.self)` can read it without a closure.
protocol JSONObjectReadable {
    init(reading reader: inout JSONObjectReader) throws(RequestError)
}

extension JSONObjectReader {
    /// The nested object at `key` read as `T`; `nil` when absent.
    mutating func object<T: JSONObjectReadable>(_ key: String, as type: T.Type) throws(RequestError) -> T? {
        try object(key) { (r: inout JSONObjectReader) throws(RequestError) in try T(reading: &r) }
    }

    /// The nested object at `key` read as `T`; when absent, `missingField(missing)`.
    mutating func object<T: JSONObjectReadable>(_ key: String, as type: T.Type, missing: String) throws(RequestError) -> T {
        guard let value = try object(key, as: type) else { throw .missingField(missing) }
        return value
    }
}

extension ResourceVersion: JSONObjectReadable {}
extension SourceConfiguration: JSONObjectReadable {}
extension GetParameters: JSONObjectReadable {}
extension PutParameters: JSONObjectReadable {}
extension SignParameters: JSONObjectReadable {}
extension VerifySettings: JSONObjectReadable {}
extension PlatformSelection: JSONObjectReadable {}
extension RegistryMirrorSettings: JSONObjectReadable {}
