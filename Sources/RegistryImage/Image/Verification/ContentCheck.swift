import FastExtract
import Foundation

/// Checks small documents (manifests, configs, index.json) against the
/// descriptor that names them before anything trusts their content.
enum ContentCheck {
    static func verify(_ data: Data, against descriptor: Descriptor) throws(ImageError) {
        guard Int64(data.count) == descriptor.size else {
            throw .sizeMismatch(descriptor.digest, expected: descriptor.size, actual: Int64(data.count))
        }
        let actual = SHA256Hasher.digest(of: data)
        guard actual == descriptor.digest else { throw .digestMismatch(expected: descriptor.digest, actual: actual) }
    }
}
