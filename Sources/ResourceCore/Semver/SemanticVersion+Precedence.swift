
extension SemanticVersion {
    /// -1, 0 or 1 by SemVer precedence, exactly as Masterminds `Compare`:
    /// numeric core first, a final version above its pre-releases, then
    /// pre-release identifiers left to right (numeric ones numerically and
    /// below alphanumeric ones, alphanumeric ones by byte order, fewer
    /// identifiers lower). Build metadata never counts.
    public func precedence(comparedTo other: SemanticVersion) -> Int {
        if major != other.major { return major < other.major ? -1 : 1 }
        if minor != other.minor { return minor < other.minor ? -1 : 1 }
        if patch != other.patch { return patch < other.patch ? -1 : 1 }
        switch (preRelease.isEmpty, other.preRelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return Self.comparePreReleases(preRelease, other.preRelease)
        }
    }

    static func comparePreReleases(_ lhs: String, _ rhs: String) -> Int {
        let left = lhs.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let right = rhs.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for position in 0..<max(left.count, right.count) {
            let l = position < left.count ? Array(left[position]) : []
            let r = position < right.count ? Array(right[position]) : []
            let order = compareIdentifiers(l, r)
            if order != 0 { return order }
        }
        return 0
    }

    private static func compareIdentifiers(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        if lhs == rhs { return 0 }
        // A missing identifier (the shorter list) is lower.
        if lhs.isEmpty { return -1 }
        if rhs.isEmpty { return 1 }
        // Identifiers too large for 64 bits are treated as alphanumeric, as Go's ParseUint fails on them.
        let leftNumber = lhs.allSatisfy(ASCII.isDigit) ? UInt64(String(decoding: lhs, as: UTF8.self)) : nil
        let rightNumber = rhs.allSatisfy(ASCII.isDigit) ? UInt64(String(decoding: rhs, as: UTF8.self)) : nil
        switch (leftNumber, rightNumber) {
        case let (l?, r?): return l > r ? 1 : -1
        case (.some, nil): return -1
        case (nil, .some): return 1
        case (nil, nil): return lhs.lexicographicallyPrecedes(rhs) ? -1 : 1
        }
    }
}
