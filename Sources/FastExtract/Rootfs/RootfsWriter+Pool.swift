import Glibc

/// Handing small new files to the `WriterPool`, and the waits that keep the
/// result what one thread writing in entry order gives.
///
/// Handed over: a regular file of at most `WriterPool.maxFileSize` bytes, no
/// xattrs, not sparse, no ownership to set, whose name is absent from its
/// (open, cached) parent. The extraction thread waits for all handed-over
/// files (`settle`) before anything that could see or touch one:
/// - an entry whose name (by parent directory identity, so a symlinked
///   parent path cannot hide it) is still pending: same path twice;
/// - resolving a parent path from the rootfs (it may create or traverse a
///   pending name); a parent opened in its cached parent, one component
///   without following symlinks, waits only when that name is pending;
/// - hardlinks, whiteouts, opaque whiteouts, the rootfs entry itself;
/// - removing a directory tree (pending files may be inside), and merging a
///   directory entry onto an existing directory (its mode and owner may
///   change what new children inherit);
/// - closing cached parents (their descriptors are the pool's, and their
///   times are put back then), directory times at the end of the layer;
/// - an error (nothing is written behind the caller's back afterwards).
/// Everything else the extraction thread does concerns other names, which
/// the pending files neither read nor change.
extension RootfsWriter {
    /// Names handed over since the last `settle`; bounded by `pendingLimit`.
    static let pendingLimit = 16 * 1024

    /// Waits until every handed-over file is written.
    func settle() {
        guard let pool, !pendingNames.isEmpty else { return }
        pool.waitIdle()
        pendingNames.removeAll(keepingCapacity: true)
    }

    /// A pool thread's first failure, as the same one-line error the entry
    /// would have given inline.
    func rethrowPoolFailure() throws {
        if let failure = pool?.firstFailure { throw layerError(failure.error, displayPath: failure.path) }
    }

    /// Waits when `name` (by default the current entry's) in `parent` is still pending.
    func settleIfPending(in parent: CachedDirectory, name: ArraySlice<UInt8>? = nil) {
        if !pendingNames.isEmpty && pendingNames.contains(pendingKey(in: parent, name: name ?? path.name)) { settle() }
    }

    /// Queues the current entry for the pool. False (nothing read yet) when
    /// it must be written inline.
    func handOff(_ entry: TarEntry, in parent: CachedDirectory, from reader: TarReader) throws -> Bool {
        guard let pool, entry.size <= Int64(WriterPool.maxFileSize), entry.xattrCount == 0, !entry.isSparse,
              !needsOwner(entry, parent: parent, isNew: true)
        else { return false }
        var info = stat()
        guard path.withName({ fstatat(parent.fd, $0, &info, AT_SYMLINK_NOFOLLOW) }) != 0, errno == ENOENT else {
            return false  // something to replace: inline, with its removal rules
        }
        if pendingNames.count >= Self.pendingLimit { settle() }
        let size = Int(entry.size)
        let pathLength = path.length
        var bytes = [UInt8](repeating: 0, count: pathLength + 1 + size)
        bytes.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: path.bytes, count: pathLength) }
        try bytes.withUnsafeMutableBytes { buffer in
            let data = UnsafeMutableRawBufferPointer(rebasing: buffer[(pathLength + 1)...])
            try reader.forEachDataBlock(entry: entry.path) { block, offset in
                guard offset >= 0, Int(offset) <= size - block.count else {
                    throw LayerError.malformedArchive(entry: entry.displayPath, reason: "file data beyond its size")
                }
                if let source = block.baseAddress { (data.baseAddress! + Int(offset)).copyMemory(from: source, byteCount: block.count) }
            }
        }
        jobSequence += 1
        let job = WriterPool.Job(
            parentFD: parent.fd, bytes: bytes, nameStart: path.nameStart, pathLength: pathLength, mode: entry.mode,
            setsMode: needsChmod(entry, parent: parent, isNew: true), atime: entry.atime, mtime: entry.mtime,
            sequence: jobSequence)
        if pool.submit(job) {
            pendingNames.insert(pendingKey(in: parent, name: path.name))
        } else if let failure = WriterPool.write(job) {  // full: written here, now
            throw layerError(failure.error, displayPath: failure.path)
        }
        return true
    }

    /// `name` within `parent`, by the directory's identity.
    private func pendingKey(in parent: CachedDirectory, name: ArraySlice<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(parent.device)
        hasher.combine(parent.inode)
        name.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }
}
