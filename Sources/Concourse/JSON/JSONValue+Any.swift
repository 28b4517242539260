/// Bridges `JSONValue` and the untyped `Any` trees (`[String: Any]`,
/// `[Any]`, `String`, `Bool`, numbers) that code editing documents it does
/// not fully model (docker's config.json) works with, and writes JSON the way
/// Foundation's `JSONSerialization` did: optional sorted keys, two-space
/// pretty printing with `" : "`, optional escaped slashes.
public enum JSONAny {
    /// A number kept as its literal text, so an unknown member survives a rewrite.
    public struct Number: Sendable, Equatable {
        public let text: String
    }

    /// JSON `null`.
    public struct Null: Sendable, Equatable {
        public init() {}
    }

    /// The parsed document as an `Any` tree; nil when `bytes` is not JSON.
    public static func parse(_ bytes: some Collection<UInt8>) -> Any? {
        (try? JSONParser.parse(Array(bytes))).map(anyValue)
    }

    public static func anyValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: Null()
        case .bool(let flag): flag
        case .number(let text): Int(text) ?? Number(text: text)
        case .string(let text): text
        case .array(let items): items.map(anyValue)
        case .object(let members):
            Dictionary(members.map { ($0.key, anyValue($0.value)) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// The JSON text of an `Any` tree; nil when it holds something that is not JSON.
    public static func serialize(
        _ value: Any, pretty: Bool = false, sortedKeys: Bool = false, escapingSlashes: Bool = true
    ) -> [UInt8]? {
        var out: [UInt8] = []
        let writer = Writer(pretty: pretty, sortedKeys: sortedKeys, escapingSlashes: escapingSlashes)
        guard writer.write(value, depth: 0, into: &out) else { return nil }
        return out
    }

    private struct Writer {
        let pretty: Bool
        let sortedKeys: Bool
        let escapingSlashes: Bool

        func write(_ value: Any, depth: Int, into out: inout [UInt8]) -> Bool {
            switch value {
            case is Null: out += Array("null".utf8)
            case let flag as Bool: out += Array((flag ? "true" : "false").utf8)
            case let number as Number: out += Array(number.text.utf8)
            case let number as Int: out += Array(String(number).utf8)
            case let number as Int64: out += Array(String(number).utf8)
            case let number as Double:
                guard number.isFinite else { return false }
                out += Array((number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)").utf8)
            case let text as String: string(text, into: &out)
            case let object as [String: Any]:
                var keys = Array(object.keys)
                if sortedKeys { keys.sort() }
                return container(open: "{", close: "}", count: keys.count, depth: depth, into: &out) { index, out in
                    string(keys[index], into: &out)
                    out += Array((pretty ? " : " : ":").utf8)
                    return write(object[keys[index]] as Any, depth: depth + 1, into: &out)
                }
            case let array as [Any]:
                return container(open: "[", close: "]", count: array.count, depth: depth, into: &out) { index, out in
                    write(array[index], depth: depth + 1, into: &out)
                }
            default:
                return false
            }
            return true
        }

        private func container(
            open: Character, close: Character, count: Int, depth: Int, into out: inout [UInt8],
            _ element: (Int, inout [UInt8]) -> Bool
        ) -> Bool {
            out.append(open.asciiValue ?? 0)
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(depth + 1, into: &out) }
                guard element(index, &out) else { return false }
            }
            if pretty && count > 0 { newline(depth, into: &out) }
            out.append(close.asciiValue ?? 0)
            return true
        }

        private func newline(_ depth: Int, into out: inout [UInt8]) {
            out.append(0x0A)
            out += [UInt8](repeating: 0x20, count: 2 * depth)
        }

        private func string(_ text: String, into out: inout [UInt8]) {
            let hex = Array("0123456789abcdef".utf8)
            out.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out += [0x5C, byte]
                case UInt8(ascii: "\\"): out += [0x5C, byte]
                case UInt8(ascii: "/") where escapingSlashes: out += [0x5C, byte]
                case 0x08: out += [0x5C, UInt8(ascii: "b")]
                case 0x0C: out += [0x5C, UInt8(ascii: "f")]
                case 0x0A: out += [0x5C, UInt8(ascii: "n")]
                case 0x0D: out += [0x5C, UInt8(ascii: "r")]
                case 0x09: out += [0x5C, UInt8(ascii: "t")]
                case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}
