import Glibc

/// Writes to and reads from the process's standard streams with plain
/// `write`/`read` (what `FileHandle.standardError` did, without Foundation).
public enum StandardStream {
    public static func writeError(_ text: String) { write(Array(text.utf8), to: STDERR_FILENO) }
    public static func writeOutput(_ text: String) { write(Array(text.utf8), to: STDOUT_FILENO) }

    /// Writes every byte, retrying on short writes and EINTR; a closed or
    /// broken stream drops the rest, as `FileHandle.write` on a closed pipe.
    public static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// Everything on standard input until its end (or a read error).
    public static func readInput() -> [UInt8] { TextFile.readToEnd(STDIN_FILENO).bytes }
}
