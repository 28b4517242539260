
/// Receives a blob's bytes in order as they arrive (from a socket or a file),
/// then is told the blob ended. Producers never buffer a whole blob.
///
/// `consume` may throw to abort the transfer (a digest mismatch, a failed
/// extraction, a full disk). A producer that resumes a dropped transfer keeps
/// feeding the same consumer from the byte reached, so nothing is seen twice.
public protocol BlobConsumer: AnyObject {
    func consume(_ chunk: UnsafeRawBufferPointer) throws
    /// The producer delivered every byte. Verification happens here.
    func finish() throws
}

/// A pull-style byte stream: the extraction side reads what the network side
/// produced. `read` blocks until bytes are available and returns 0 at the end.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
