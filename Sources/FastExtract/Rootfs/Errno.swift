import Glibc

/// A failed system call's errno and what was being done, mapped to a
/// `LayerError` by the writer, which knows the entry.
struct Errno: Error {
    let code: Int32
    var operation = "resolve the parent directory"

    static func current(_ operation: String) -> Errno { Errno(code: errno, operation: operation) }
}
