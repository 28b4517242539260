import Glibc

/// OCI whiteouts: `.wh.NAME` removes NAME (a whole tree if a directory);
/// `.wh..wh..opq` removes what lower layers put in its directory but keeps
/// what this layer wrote there, whichever comes first in the tar. Whiteout
/// files themselves are never written.
extension RootfsWriter {
    func applyWhiteout() throws(Errno) {
        if path.nameLength == 12 && path.hasNamePrefix(".wh..wh..opq") {
            try applyOpaqueWhiteout()
            return
        }
        // Other `.wh..wh.` names are aufs bookkeeping, not changes.
        if path.hasNamePrefix(".wh..wh.") { return }
        let removed = path.name.dropFirst(4)
        if removed.isEmpty || removed.elementsEqual([46]) || removed.elementsEqual([46, 46]) { return }

        var removedPath = Array(path.parent)
        if !removedPath.isEmpty { removedPath.append(UInt8(ascii: "/")) }
        removedPath.append(contentsOf: removed)
        whitedOut.insert(removedPath[...])

        guard let parent = try existingDirectory(path.parent) else { return }  // Nothing lower to hide.
        var info = stat()
        guard path.withName(dropping: 4, { fstatat(parent.fd, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else {
            if errno == ENOENT { return }
            throw Errno.current("inspect the whited-out entry")
        }
        try path.withName(dropping: 4) { name throws(Errno) in try DirectoryTree.remove(name, in: parent.fd) }
        let type = info.st_mode & 0o170000
        if type == 0o040000 { forgetDirectoryTimes(under: removedPath[...]) }
        if type == 0o040000 || type == 0o120000 { cacheIsStale = true }
    }

    private func applyOpaqueWhiteout() throws(Errno) {
        // A directory this layer created holds nothing of lower layers.
        if isCreatedByLayer(Array(path.parent)) { return }
        guard let directory = try existingDirectory(path.parent) else { return }
        try removeLowerContents(of: directory.fd, at: Array(path.parent))
    }

    /// Removes the children of `fd` that this layer did not write; descends
    /// into directories that hold something this layer wrote.
    private func removeLowerContents(of fd: Int32, at lexicalPath: [UInt8]) throws(Errno) {
        for child in try DirectoryTree.children(of: fd) {
            var childPath = lexicalPath
            if !childPath.isEmpty { childPath.append(UInt8(ascii: "/")) }
            childPath.append(contentsOf: child.name.dropLast())
            try child.name.withUnsafeBufferPointer { buffer throws(Errno) in
                let name = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                if layerPaths.contains(childPath[...]) {
                    guard child.isDirectory else { return }
                    // Created by this layer: everything below is this layer's (and not recorded).
                    if isCreatedByLayer(childPath) { return }
                    let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    guard sub >= 0 else { throw Errno.current("open a directory under an opaque whiteout") }
                    defer { close(sub) }
                    try removeLowerContents(of: sub, at: childPath)
                } else {
                    try DirectoryTree.remove(name, in: fd)
                    if child.isDirectory { forgetDirectoryTimes(under: childPath[...]) }
                    cacheIsStale = true
                }
            }
        }
    }
}
