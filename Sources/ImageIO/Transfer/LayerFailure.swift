import OCIModel

/// A layer could not be fetched, verified or applied. Decompression and tar
/// errors say nothing of which blob they came from; this names it.
public struct LayerFailure: Error, CustomStringConvertible {
    public let number: Int
    public let count: Int
    public let digest: Digest
    public let underlying: any Error

    public var description: String { "layer \(number) of \(count) (\(digest)): \(underlying)" }
}
