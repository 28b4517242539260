import OCIModel

/// A blob written to `finalPath` through a `StagedFile`: `finish` commits it.
/// It does not verify: put it behind a `DigestVerifier` (the transfer does),
/// which forwards `finish` only for matching bytes — so a blob appears under
/// its digest only when it is that blob.
public final class StagedBlobFile: BlobConsumer {
    public let file: StagedFile

    public init(finalPath: String) throws(ImageError) {
        file = try StagedFile(finalPath: finalPath)
    }

    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        do { try file.write(chunk) } catch {
            file.discard()
            throw error
        }
    }

    public func finish() throws { try file.commit() }
}
