import FoundationEssentials

// sigstore's documents are protobuf messages in protobuf's JSON mapping:
// `bytes` are base64 strings (standard or URL alphabet, padding optional)
// and 64-bit integers are decimal strings (numbers are accepted as well).

/// A protobuf `bytes` field.
public struct ProtoBytes: Codable, Hashable, Sendable {
    public var data: Data

    public init(_ data: Data) { self.data = data }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = ProtoBytes.decodeBase64(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not base64")
        }
        self.data = data
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(data.base64EncodedString())
    }

    /// Standard or URL-safe base64, with or without padding.
    public static func decodeBase64(_ text: String) -> Data? {
        var standard = text.replacing("-", with: "+").replacing("_", with: "/")
        let remainder = standard.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { standard += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: standard)
    }
}

/// A protobuf `int64`/`uint64` field.
public struct ProtoInt64: Codable, Hashable, Sendable {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
            return
        }
        let text = try container.decode(String.self)
        guard let number = Int64(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an integer")
        }
        value = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}
