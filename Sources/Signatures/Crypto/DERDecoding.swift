import CCrypto
import FoundationEssentials

/// OpenSSL's `d2i_*` decoders over `Data`: nil, with OpenSSL's error queue
/// cleared, when the bytes are empty or not the DER `d2i` expects.
enum DERDecoding {
    static func decode<Decoded>(
        _ der: Data, with d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> Decoded?
    ) -> Decoded? {
        let decoded: Decoded? = der.withUnsafeBytes { raw -> Decoded? in
            var cursor: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
            guard cursor != nil else { return nil }
            return d2i(&cursor, raw.count)
        }
        if decoded == nil { ERR_clear_error() }
        return decoded
    }
}
