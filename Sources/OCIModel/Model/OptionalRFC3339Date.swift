import FoundationEssentials

/// An optional `Date` coded as an RFC 3339 string (`RFC3339Date`), left out
/// when nil and nil when absent, so that types with a `created` time keep
/// their synthesized `Codable`.
@propertyWrapper
public struct OptionalRFC3339Date: Codable, Hashable, Sendable {
    public var wrappedValue: Date?

    public init(wrappedValue: Date?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(RFC3339Date.self).date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.map(RFC3339Date.init))
    }
}

extension KeyedDecodingContainer {
    /// Absent is nil, as `decodeIfPresent` (synthesized `Codable` calls `decode` for a wrapper).
    public func decode(_ type: OptionalRFC3339Date.Type, forKey key: Key) throws -> OptionalRFC3339Date {
        OptionalRFC3339Date(wrappedValue: try decodeIfPresent(RFC3339Date.self, forKey: key)?.date)
    }
}

extension KeyedEncodingContainer {
    /// Nil is left out, as `encodeIfPresent`.
    public mutating func encode(_ value: OptionalRFC3339Date, forKey key: Key) throws {
        try encodeIfPresent(value.wrappedValue.map(RFC3339Date.init), forKey: key)
    }
}
