import FoundationEssentials

/// The one JSON encoding for what this program writes for others to read
/// (responses, metadata.json, labels.json): sorted keys, no escaped slashes,
/// so the bytes are stable across runs.
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
