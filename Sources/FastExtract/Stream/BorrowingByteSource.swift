import OCIModel

/// A `ByteSource` that can lend its own buffer instead of copying into one:
/// the tar reader hands those bytes straight to libarchive, which only needs
/// them until it asks for more.
public protocol BorrowingByteSource: ByteSource {
    /// The next bytes, valid until the next call on this source; empty at the end.
    func borrow() throws -> UnsafeRawBufferPointer
}
