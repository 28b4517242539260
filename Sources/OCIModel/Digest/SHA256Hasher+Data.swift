import Foundation

extension SHA256Hasher {
    /// The digest of a small document held in memory (a manifest, a config).
    public static func digest(of data: Data) -> Digest {
        data.withUnsafeBytes { SHA256Hasher.digest(of: $0) }
    }
}
