
/// Reads constraint text into alternatives of ANDed terms, byte by byte, with
/// the same acceptance as Masterminds v3's regular expressions:
/// a term is `\s* OP \s* V`, terms are separated by whitespace or `,`,
/// and `A - B` ranges (spaces required around `-`) become `>= A, <= B`.
/// V is `v? P (.P)? (.P)? (-ID(.ID)*)? (+ID(.ID)*)?` with P made of digits,
/// `x`, `X`, `*` (and `|`, which Masterminds' character class also admits).
enum ConstraintParser {
    static func parse(_ text: String) throws(VersionConstraintError) -> [ConstraintGroup] {
        let rewritten = rewriteRanges(text)
        return try rewritten.split(separator: "||", omittingEmptySubsequences: false).map { alternative throws(VersionConstraintError) in
            let bytes = Array(alternative.utf8)
            guard let spans = termSpans(bytes) else {
                throw .improper(constraint: text, part: String(alternative))
            }
            let terms = try spans.map { span throws(VersionConstraintError) in
                try term(bytes, span, constraint: text)
            }
            return ConstraintGroup(terms: terms)
        }
    }

    // MARK: terms

    private struct TermSpan {
        let op: ConstraintTerm.Operator
        let version: Range<Int>
    }

    /// Splits one alternative into terms, or nil when it is not a valid AND list.
    private static func termSpans(_ bytes: [UInt8]) -> [TermSpan]? {
        var spans: [TermSpan] = []
        var index = skipSpaces(bytes, 0)
        while true {
            let (op, afterOp) = readOperator(bytes, index)
            let versionStart = skipSpaces(bytes, afterOp)
            guard let versionEnd = versionTokenEnd(bytes, versionStart) else { return nil }
            spans.append(TermSpan(op: op, version: versionStart..<versionEnd))
            index = skipSpaces(bytes, versionEnd)
            if index == bytes.count { return spans }
            if bytes[index] == UInt8(ascii: ",") {
                index = skipSpaces(bytes, index + 1)
            } else if index == versionEnd {
                return nil  // two terms must be separated by whitespace or a comma
            }
        }
    }

    private static func readOperator(_ bytes: [UInt8], _ index: Int) -> (ConstraintTerm.Operator, Int) {
        func at(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        let two: [(String, ConstraintTerm.Operator)] = [
            ("!=", .notEqual), (">=", .greaterOrEqual), ("=>", .greaterOrEqual),
            ("<=", .lessOrEqual), ("=<", .lessOrEqual), ("~>", .tilde),
        ]
        for (token, op) in two {
            let t = Array(token.utf8)
            if at(0) == t[0] && at(1) == t[1] { return (op, index + 2) }
        }
        switch at(0) {
        case UInt8(ascii: "="): return (.equal, index + 1)
        case UInt8(ascii: ">"): return (.greater, index + 1)
        case UInt8(ascii: "<"): return (.less, index + 1)
        case UInt8(ascii: "~"): return (.tilde, index + 1)
        case UInt8(ascii: "^"): return (.caret, index + 1)
        default: return (.equal, index)  // no operator means "=" (tilde when dirty)
        }
    }

    private static func term(_ bytes: [UInt8], _ span: TermSpan, constraint: String) throws(VersionConstraintError) -> ConstraintTerm {
        let token = String(decoding: bytes[span.version], as: UTF8.self)
        let fail = VersionConstraintError.improper(constraint: constraint, part: token)
        var index = span.version.lowerBound
        if bytes[index] == UInt8(ascii: "v") { index += 1 }
        let majorEnd = partEnd(bytes, index)
        let major = String(decoding: bytes[index..<majorEnd], as: UTF8.self)
        index = majorEnd
        var minor: String?
        var patch: String?
        if index < span.version.upperBound, bytes[index] == UInt8(ascii: ".") {
            let end = partEnd(bytes, index + 1)
            minor = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end
            if index < span.version.upperBound, bytes[index] == UInt8(ascii: ".") {
                let end = partEnd(bytes, index + 1)
                patch = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                index = end
            }
        }
        var preRelease = ""
        if index < span.version.upperBound, bytes[index] == UInt8(ascii: "-") {
            let end = ASCII.identifierListEnd(bytes, from: index + 1) ?? index + 1
            preRelease = String(decoding: bytes[index..<end], as: UTF8.self)  // keeps the "-"
        }

        var text = token
        var dirty = false, minorDirty = false, patchDirty = false
        if isWildcard(major) {
            dirty = true
            text = "0.0.0" + preRelease
        } else if minor.map(isWildcard) ?? true {
            dirty = true; minorDirty = true
            text = "\(major).0.0" + preRelease
        } else if patch.map(isWildcard) ?? true {
            dirty = true; patchDirty = true
            text = "\(major).\(minor ?? "").0" + preRelease
        }
        guard let bound = try? SemanticVersion(parsing: text) else { throw fail }
        return ConstraintTerm(op: span.op, bound: bound, dirty: dirty, minorDirty: minorDirty, patchDirty: patchDirty)
    }

    private static func isWildcard(_ part: String) -> Bool { part == "x" || part == "X" || part == "*" }

    // MARK: version tokens

    private static func isPartByte(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X")
            || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "|")
    }

    private static func partEnd(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, isPartByte(bytes[index]) { index += 1 }
        return index
    }

    /// End of the longest version token at `start`, or nil when none starts there.
    static func versionTokenEnd(_ bytes: [UInt8], _ start: Int) -> Int? {
        var index = start
        if index < bytes.count, bytes[index] == UInt8(ascii: "v") { index += 1 }
        let majorEnd = partEnd(bytes, index)
        if majorEnd == index { return nil }
        index = majorEnd
        for _ in 0..<2 {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isPartByte(bytes[index + 1]) else { break }
            index = partEnd(bytes, index + 1)
        }
        for marker in [UInt8(ascii: "-"), UInt8(ascii: "+")] {
            if index < bytes.count, bytes[index] == marker, let end = ASCII.identifierListEnd(bytes, from: index + 1) {
                index = end
            }
        }
        return index
    }

    static func skipSpaces(_ bytes: [UInt8], _ start: Int) -> Int {
        var index = start
        while index < bytes.count, ASCII.isSpace(bytes[index]) { index += 1 }
        return index
    }

    // MARK: hyphen ranges

    /// Rewrites every `A - B` into `>= A, <= B ` the way Masterminds does
    /// (leftmost non-overlapping matches, surrounding whitespace included).
    static func rewriteRanges(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var matches: [Range<Int>] = []
        var replacements: [String] = []
        var start = 0
        while start < bytes.count {
            if let (range, low, high) = rangeMatch(bytes, start) {
                matches.append(range)
                replacements.append(">= \(low), <= \(high) ")
                start = range.upperBound
            } else {
                start += 1
            }
        }
        if matches.isEmpty { return text }
        var output = Array(text.utf8)
        // Masterminds replaces the first occurrence of each matched text in the
        // progressively rewritten string; do the same.
        for (range, replacement) in zip(matches, replacements) {
            let needle = Array(bytes[range])
            guard let at = firstOccurrence(of: needle, in: output) else { continue }
            output.replaceSubrange(at..<(at + needle.count), with: Array(replacement.utf8))
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func rangeMatch(_ bytes: [UInt8], _ start: Int) -> (Range<Int>, String, String)? {
        let lowStart = skipSpaces(bytes, start)
        guard let lowEnd = versionTokenEnd(bytes, lowStart) else { return nil }
        let dash = skipSpaces(bytes, lowEnd)
        guard dash > lowEnd, dash < bytes.count, bytes[dash] == UInt8(ascii: "-") else { return nil }
        let highStart = skipSpaces(bytes, dash + 1)
        guard highStart > dash + 1, let highEnd = versionTokenEnd(bytes, highStart) else { return nil }
        let end = skipSpaces(bytes, highEnd)
        return (start..<end,
                String(decoding: bytes[lowStart..<lowEnd], as: UTF8.self),
                String(decoding: bytes[highStart..<highEnd], as: UTF8.self))
    }

    private static func firstOccurrence(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for at in 0...(haystack.count - needle.count) where haystack[at..<(at + needle.count)].elementsEqual(needle) {
            return at
        }
        return nil
    }
}
