import FoundationEssentials

/// RFC 6962 / RFC 9162 §2.1.3.2: whether a leaf at `index` of a tree of
/// `treeSize` leaves hashes up the audit path `hashes` to `rootHash`.
enum MerkleInclusionProof {
    static func leafHash(_ leaf: Data) -> Data { Hex.sha256(Data([0]) + leaf) }

    static func verify(leafHash: Data, index: Int64, treeSize: Int64, hashes: [Data], rootHash: Data) -> Bool {
        guard index >= 0, index < treeSize else { return false }
        var fn = UInt64(index)
        var sn = UInt64(treeSize - 1)
        var hash = leafHash
        for sibling in hashes {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == rootHash
    }

    private static func nodeHash(_ left: Data, _ right: Data) -> Data { Hex.sha256(Data([1]) + left + right) }
}
