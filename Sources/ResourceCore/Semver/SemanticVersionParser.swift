
/// Hand-written reader for the loose Masterminds grammar:
/// `v? N (.N)? (.N)? (-ID(.ID)*)? (+ID(.ID)*)?` with `N = [0-9]+` and
/// `ID = [0-9A-Za-z-]+`, anchored at both ends.
enum SemanticVersionParser {
    static func parse(_ text: String) throws(SemanticVersionError) -> SemanticVersion {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { throw .empty }
        if bytes.count > SemanticVersion.maximumLength { throw .tooLong(text) }

        var index = 0
        if bytes[index] == UInt8(ascii: "v") { index += 1 }

        func number() throws(SemanticVersionError) -> UInt64? {
            let start = index
            while index < bytes.count, ASCII.isDigit(bytes[index]) { index += 1 }
            if start == index { return nil }
            guard let value = UInt64(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                throw .numberTooLarge(text)
            }
            return value
        }

        func requiredNumber() throws(SemanticVersionError) -> UInt64 {
            guard let value = try number() else { throw .malformed(text) }
            return value
        }

        /// Steps past `mark` when it is the next byte.
        func skip(_ mark: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: mark) else { return false }
            index += 1
            return true
        }

        /// The dot-separated identifiers after `mark`; "" when `mark` is not next.
        func identifiers(after mark: Unicode.Scalar) throws(SemanticVersionError) -> String {
            guard skip(mark) else { return "" }
            guard let end = ASCII.identifierListEnd(bytes, from: index) else { throw .malformed(text) }
            defer { index = end }
            return String(decoding: bytes[index..<end], as: UTF8.self)
        }

        let major = try requiredNumber()
        var minor: UInt64 = 0
        var patch: UInt64 = 0
        if skip(".") {
            minor = try requiredNumber()
            if skip(".") { patch = try requiredNumber() }
        }
        let preRelease = try identifiers(after: "-")
        let metadata = try identifiers(after: "+")
        guard index == bytes.count else { throw .malformed(text) }

        // SemVer forbids leading zeros in numeric pre-release identifiers; Masterminds enforces it.
        for identifier in preRelease.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        where identifier.count > 1 && identifier.allSatisfy(ASCII.isDigit) && identifier.first == UInt8(ascii: "0") {
            throw .leadingZeroInPreRelease(text)
        }

        return SemanticVersion(major: major, minor: minor, patch: patch,
                               preRelease: preRelease, metadata: metadata, original: text)
    }
}

/// Byte classes shared by the version and constraint readers.
enum ASCII {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isIdentifier(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "-")
    }

    /// Regexp `\s` in Go: space, \t, \n, \f, \r.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    /// End of `ID(.ID)*` starting at `start`, or nil when no identifier starts there.
    /// A trailing `.` not followed by an identifier is left unconsumed.
    static func identifierListEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count, isIdentifier(bytes[index]) { index += 1 }
        if index == start { return nil }
        while index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isIdentifier(bytes[index + 1]) {
            index += 1
            while index < bytes.count, isIdentifier(bytes[index]) { index += 1 }
        }
        return index
    }
}
