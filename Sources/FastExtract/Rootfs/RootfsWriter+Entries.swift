import CLinux
import Glibc

/// Creating each kind of entry: the final component is created exclusively
/// (never through a symlink); only when that fails with EEXIST is the old
/// entry inspected and removed. Fresh files cost openat + write + futimens +
/// close; ownership and mode calls are skipped when creation already gave the
/// right result.
extension RootfsWriter {
    func writeFile(_ entry: TarEntry, in parent: CachedDirectory, from reader: TarReader) throws {
        if pool != nil, try handOff(entry, in: parent, from: reader) { return }
        let createMode = entry.mode & 0o777
        var fd = path.withName { openat(parent.fd, $0, RegularFile.createFlags, createMode) }
        if fd < 0 && errno == EEXIST {
            try removeExisting(in: parent.fd, keepingDirectory: false)
            fd = path.withName { openat(parent.fd, $0, RegularFile.createFlags, createMode) }
        }
        guard fd >= 0 else { throw Errno.current("create the file") }
        defer { close(fd) }

        var position: Int64 = 0
        try reader.forEachDataBlock(entry: entry.path) { block, offset in
            if offset != position {
                guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw Errno.current("seek in the file") }
                position = offset
            }
            try RegularFile.writeAll(fd, block)
            position += Int64(block.count)
        }
        // A sparse file may end in a hole.
        if position < entry.size && ftruncate(fd, off_t(entry.size)) != 0 { throw Errno.current("size the file") }

        let owned = setOwner(entry, parent: parent, isNew: true) { fchown(fd, $0, $1) }
        if owned || needsChmod(entry, parent: parent, isNew: true) { try RegularFile.setMode(fd, entry.mode) }
        if entry.xattrCount > 0 {
            reader.forEachXattr { name, value, size in
                if fsetxattr(fd, name, value, size, 0) != 0 { warnXattr(errno, entry: entry) }
            }
        }
        try RegularFile.setTimes(fd, atime: entry.atime, mtime: entry.mtime)
    }

    func makeDirectory(_ entry: TarEntry, in parent: CachedDirectory, from reader: TarReader) throws {
        // Without root, a directory must stay writable until its contents are in.
        let deferMode = euid != 0 && entry.mode & 0o700 != 0o700
        let initialMode = deferMode ? (entry.mode | 0o700) : entry.mode
        var isNew = path.withName { mkdirat(parent.fd, $0, initialMode & 0o777) } == 0
        if !isNew {
            guard errno == EEXIST else { throw Errno.current("create the directory") }
            settle()  // a merge may change the mode and owner that pending children inherit
            if try removeExisting(in: parent.fd, keepingDirectory: true) != .directory {
                guard path.withName({ mkdirat(parent.fd, $0, initialMode & 0o777) }) == 0 else {
                    throw Errno.current("create the directory")
                }
                isNew = true
            }
        }
        try path.withName { name in
            let owned = setOwner(entry, parent: parent, isNew: isNew) { fchownat(parent.fd, name, $0, $1, AT_SYMLINK_NOFOLLOW) }
            if owned || deferMode || needsChmod(entry, parent: parent, isNew: isNew) {
                guard fchmodat(parent.fd, name, initialMode, 0) == 0 else { throw Errno.current("set the directory mode") }
            }
            if entry.xattrCount > 0 {
                let fd = openat(parent.fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard fd >= 0 else { throw Errno.current("open the directory") }
                defer { close(fd) }
                reader.forEachXattr { key, value, size in
                    if fsetxattr(fd, key, value, size, 0) != 0 { warnXattr(errno, entry: entry) }
                }
            }
        }
        let key = Array(path.path)
        pendingModes[key] = nil  // declared again: this entry's mode wins
        // A second entry for a directory this layer created merges into it: still this layer's.
        let created = isNew || isCreatedByLayer(key)
        directoryTimes[key] = DeferredDirectory(
            atime: entry.atime, mtime: entry.mtime, mode: deferMode ? entry.mode : nil, createdByLayer: created)
    }

    func makeSymlink(_ entry: TarEntry, in parent: CachedDirectory, from reader: TarReader) throws {
        guard let linkTarget = entry.linkTarget else {
            throw LayerError.invalidEntry(entry: entry.displayPath, reason: "symlink without a target")
        }
        try create("create the symlink", in: parent) { symlinkat(linkTarget, parent.fd, $0) }
        try finishPathEntry(entry, in: parent, from: reader, isSymlink: true)
    }

    func makeFifo(_ entry: TarEntry, in parent: CachedDirectory, from reader: TarReader) throws {
        try create("create the fifo", in: parent) { mkfifoat(parent.fd, $0, entry.mode & 0o777) }
        try finishPathEntry(entry, in: parent, from: reader, isSymlink: false)
    }

    /// A hardlink's target is a path inside the rootfs, resolved like any
    /// parent (so `/etc/passwd` is ROOTFS/etc/passwd).
    func makeHardlink(_ entry: TarEntry, in parent: CachedDirectory) throws {
        guard let linkTarget = entry.linkTarget else {
            throw LayerError.invalidEntry(entry: entry.displayPath, reason: "hardlink without a target")
        }
        target.set(linkTarget)
        guard !target.isRoot else {
            throw LayerError.invalidEntry(entry: entry.displayPath, reason: "hardlink to the rootfs itself")
        }
        if target.path == path.path { return }
        guard let targetParent = try existingDirectory(target.parent) else {
            return try missingHardlinkTarget(entry)
        }
        func link() -> Int32 {
            target.withName { from in path.withName { to in linkat(targetParent.fd, from, parent.fd, to, 0) } }
        }
        var linked = link()
        if linked != 0 && errno == EEXIST {
            try removeExisting(in: parent.fd, keepingDirectory: false)
            linked = link()
        }
        if linked != 0 {
            if errno == ENOENT { return try missingHardlinkTarget(entry) }
            throw Errno.current("create the hardlink")
        }
    }

    /// A target whited out earlier in this layer is tolerated (the link is
    /// skipped); any other missing target is an error.
    private func missingHardlinkTarget(_ entry: TarEntry) throws {
        var prefix = target.path
        while true {
            if whitedOut.contains(prefix) { return }
            guard let slash = prefix.lastIndex(of: UInt8(ascii: "/")) else { break }
            prefix = prefix[prefix.startIndex..<slash]
        }
        throw LayerError.hardlinkTargetMissing(entry: entry.displayPath, target: target.displayPath)
    }

    // MARK: Shared steps

    /// Runs `make` on the entry name; on EEXIST removes the old entry and retries once.
    private func create(_ operation: String, in parent: CachedDirectory, _ make: (UnsafePointer<CChar>) -> Int32) throws {
        if path.withName(make) == 0 { return }
        guard errno == EEXIST else { throw Errno.current(operation) }
        try removeExisting(in: parent.fd, keepingDirectory: false)
        guard path.withName(make) == 0 else { throw Errno.current(operation) }
    }

    /// Ownership, mode, xattrs and times of a new symlink or fifo, by name
    /// (there is no descriptor to use; none of these calls follow a symlink).
    private func finishPathEntry(_ entry: TarEntry, in parent: CachedDirectory, from reader: TarReader, isSymlink: Bool) throws {
        try path.withName { name in
            let owned = setOwner(entry, parent: parent, isNew: true) { fchownat(parent.fd, name, $0, $1, AT_SYMLINK_NOFOLLOW) }
            if !isSymlink && (owned || needsChmod(entry, parent: parent, isNew: true)) {
                guard fchmodat(parent.fd, name, entry.mode, 0) == 0 else { throw Errno.current("set the mode") }
            }
            if entry.xattrCount > 0 {
                let procPath = "/proc/self/fd/\(parent.fd)/" + String(decoding: path.name, as: UTF8.self)
                reader.forEachXattr { key, value, size in
                    if lsetxattr(procPath, key, value, size, 0) != 0 { warnXattr(errno, entry: entry) }
                }
            }
            var times = (entry.atime, entry.mtime)
            let timed = withUnsafePointer(to: &times) {
                $0.withMemoryRebound(to: timespec.self, capacity: 2) { utimensat(parent.fd, name, $0, AT_SYMLINK_NOFOLLOW) }
            }
            guard timed == 0 else { throw Errno.current("set the times") }
        }
    }

    /// Applies uid/gid when preserving ownership and creation did not already
    /// produce them. Returns whether ownership was changed (which clears
    /// setuid/setgid, so the mode must be set after).
    private func setOwner(_ entry: TarEntry, parent: CachedDirectory, isNew: Bool, _ chown: (uid_t, gid_t) -> Int32) -> Bool {
        guard needsOwner(entry, parent: parent, isNew: isNew) else { return false }
        if chown(entry.uid, entry.gid) != 0 {
            warnOwnership(errno, entry: entry)
            return false
        }
        return true
    }

    /// Whether ownership is preserved and creation may not have given it.
    func needsOwner(_ entry: TarEntry, parent: CachedDirectory, isNew: Bool) -> Bool {
        options.preserveOwnership && !(isNew && entry.uid == euid && entry.gid == egid && !parent.isSetgid)
    }

    /// Whether creation (mode filtered by the umask, no special bits, maybe a
    /// setgid parent's bit) could differ from the entry's mode.
    func needsChmod(_ entry: TarEntry, parent: CachedDirectory, isNew: Bool) -> Bool {
        !isNew || parent.isSetgid || entry.mode & 0o7000 != 0 || entry.mode & umask != 0
    }
}
