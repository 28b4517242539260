/// Small text operations that Foundation's String extensions used to do.
public enum TextFormatting {
    /// `value` with exactly `decimals` digits after the point, rounded half
    /// away from zero (what `String(format: "%.Nf")` printed for our values).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return "\(value)" }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var text = (value < 0 && units > 0 ? "-" : "") + String(whole)
        if decimals > 0 {
            let fraction = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    /// `value` in decimal, left-padded with `pad` to at least `width` characters.
    public static func padded(_ value: some BinaryInteger, width: Int, pad: Character = "0") -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: pad, count: width - digits.count) + digits
    }

    /// Two upper-case hexadecimal digits.
    public static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
    }

    /// Two lower-case hexadecimal digits a byte, as digests and Rekor log ids are written.
    public static func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The value of one hex digit (either case); nil for any other byte.
    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (`newlines: true`: also
    /// CR, LF and the other Unicode white space), as Foundation's
    /// `trimmingCharacters(in: .whitespaces / .whitespacesAndNewlines)`.
    public func trimmingWhitespace(newlines: Bool = false) -> String {
        trimming(while: { $0.isWhitespace && (newlines || !$0.isNewline) })
    }

    /// Percent-encoded: every byte outside `allowed` (ASCII) becomes `%XX`.
    public func percentEncoded(keeping allowed: (UInt8) -> Bool) -> String {
        var out = ""
        for byte in utf8 {
            if allowed(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += "%" + TextFormatting.hexByte(byte) }
        }
        return out
    }

    /// `%XX` sequences decoded; nil when one is malformed or the result is not UTF-8
    /// (as Foundation's `removingPercentEncoding`).
    public var percentDecoded: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(TextFormatting.hexValue), let low = iterator.next().flatMap(TextFormatting.hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    /// Without the leading and trailing characters for which `isTrimmed` holds.
    public func trimming(while isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }),
              let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// The bytes a URL query keeps unescaped (Foundation's `.urlQueryAllowed`):
/// ASCII letters and digits and `!$&'()*+,-./:;=?@_~`.
public enum URLQueryCharacters {
    public static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!$&'()*+,-./:;=?@_~".utf8.contains(byte)
        }
    }
}
