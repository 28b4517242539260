
/// Reads typed fields out of a JSON object and remembers which keys were
/// read, so that `finish()` can reject the first unknown one: a typo in a
/// pipeline (`tag_regexp:`) fails loudly instead of being ignored.
///
/// `null` reads as absent, as Go's decoder treats it.
public struct JSONObjectReader {
    private let members: [(key: String, value: JSONValue)]
    private var consumed: Set<String> = []
    /// Dotted path of this object in the request, e.g. `source.registry_mirror`.
    public let path: String

    public init(_ value: JSONValue, path: String) throws(RequestError) {
        guard case .object(let members) = value else {
            throw .wrongType(field: path.isEmpty ? "request" : path, expected: "object", found: value.typeName)
        }
        self.members = members
        self.path = path
    }

    private func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public var keys: [String] { members.map(\.key) }

    /// The raw value of `key`, marking it as known. `nil` when absent or null.
    public mutating func value(_ key: String) -> JSONValue? {
        consumed.insert(key)
        guard let value = members.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return value
    }

    public mutating func string(_ key: String) throws(RequestError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw .wrongType(field: fieldPath(key), expected: "string", found: value.typeName)
        }
        return text
    }

    public mutating func requiredString(_ key: String) throws(RequestError) -> String {
        guard let text = try string(key), !text.isEmpty else { throw .missingField(fieldPath(key)) }
        return text
    }

    /// A string, or a number kept as its literal text (`tag: 1.10`).
    public mutating func stringOrNumber(_ key: String) throws(RequestError) -> String? {
        guard let value = value(key) else { return nil }
        switch value {
        case .string(let text): return text
        case .number(let literal): return literal
        default: throw .wrongType(field: fieldPath(key), expected: "string or number", found: value.typeName)
        }
    }

    public mutating func bool(_ key: String) throws(RequestError) -> Bool {
        guard let value = value(key) else { return false }
        guard case .bool(let flag) = value else {
            throw .wrongType(field: fieldPath(key), expected: "boolean", found: value.typeName)
        }
        return flag
    }

    public mutating func stringArray(_ key: String) throws(RequestError) -> [String] {
        guard let value = value(key) else { return [] }
        guard case .array(let elements) = value else {
            throw .wrongType(field: fieldPath(key), expected: "array of strings", found: value.typeName)
        }
        var strings: [String] = []
        for (offset, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw .wrongType(field: "\(fieldPath(key))[\(offset)]", expected: "string", found: element.typeName)
            }
            strings.append(text)
        }
        return strings
    }

    /// A nested object, read by `read`; `nil` when absent.
    public mutating func object<T>(
        _ key: String, _ read: (inout JSONObjectReader) throws(RequestError) -> T
    ) throws(RequestError) -> T? {
        guard let value = value(key) else { return nil }
        var reader = try JSONObjectReader(value, path: fieldPath(key))
        let result = try read(&reader)
        try reader.finish()
        return result
    }

    /// A nested object of a type that reads itself; `nil` when absent.
    mutating func object<T: JSONObjectReadable>(_ key: String, as type: T.Type) throws(RequestError) -> T? {
        try object(key) { (r: inout JSONObjectReader) throws(RequestError) in try T(reading: &r) }
    }

    /// A nested object that must be there; `missing` is the field an absent one is reported as.
    mutating func requiredObject<T: JSONObjectReadable>(
        _ key: String, as type: T.Type, missing: String
    ) throws(RequestError) -> T {
        guard let object = try object(key, as: type) else { throw .missingField(missing) }
        return object
    }

    /// Marks keys that are recognised but not supported here; a present,
    /// non-empty one is refused with `reason`.
    public mutating func refuse(_ keys: [String], reason: String) throws(RequestError) {
        for key in keys {
            guard let value = value(key) else { continue }
            if case .string(let text) = value, text.isEmpty { continue }
            if case .array(let elements) = value, elements.isEmpty { continue }
            throw .unsupported(field: fieldPath(key), reason: reason)
        }
    }

    /// Fails on the first key that no reader asked for.
    public func finish() throws(RequestError) {
        if let unknown = members.first(where: { !consumed.contains($0.key) }) {
            throw .unknownField(fieldPath(unknown.key))
        }
    }
}

/// A request part read from its JSON object (unknown keys refused by the reader).
protocol JSONObjectReadable {
    init(reading reader: inout JSONObjectReader) throws(RequestError)
}
