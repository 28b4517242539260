import Glibc

/// Writes tar entries into a rootfs directory through directory descriptors,
/// following the OCI layer rules (see LayerApplier) and keeping every write
/// inside the rootfs: parents are resolved as if the rootfs were `/`, the last
/// component is created with `O_EXCL|O_NOFOLLOW` after removing what was there.
///
/// Owns the rootfs descriptor, a cache of open parent directories and, with
/// more than one writer, a `WriterPool` for small new files. Not thread-safe:
/// one extraction thread applies the layers in order (and alone decides what
/// the pool writes).
public final class RootfsWriter {
    /// Times (and, without root, a mode too restrictive to write into) of a
    /// directory entry, set once the layer's entries are all written.
    struct DeferredDirectory {
        var atime: timespec
        var mtime: timespec
        var mode: mode_t?
        /// Made by this layer (not merged onto a lower directory): everything
        /// below it is this layer's. Kept while the directory stays.
        var createdByLayer = false
    }

    let options: RootfsOptions
    let rootFD: Int32
    var cache: DirectoryCache
    /// Set when an entry removed a directory or symlink: cached descriptors may
    /// point at removed directories or through replaced links. The cache is
    /// emptied before the next entry (the current one's parent stays valid).
    var cacheIsStale = false
    var path = EntryPath()
    var target = EntryPath()
    /// Paths (with their ancestors) written by the current layer: an opaque
    /// whiteout keeps these and removes the rest. Entries inside a directory
    /// this layer created are not recorded (its `DeferredDirectory` says all
    /// below is this layer's), so a layer that adds a new tree of a million
    /// files records only the tree's top.
    var layerPaths = PathHashSet()
    /// Paths whited out by the current layer: a hardlink to one is skipped.
    var whitedOut = PathHashSet()
    var directoryTimes: [[UInt8]: DeferredDirectory] = [:]
    /// Directories this layer made as missing parents (no entry of their own):
    /// like those it declared, everything below them is this layer's.
    var madeDirectories = Set<[UInt8]>()
    /// Without root: modes too restrictive to write into (a 0555 directory),
    /// set only after the LAST layer, since a later layer may still add
    /// children. Dropped when the directory is removed or declared again.
    var pendingModes: [[UInt8]: mode_t] = [:]
    let umask: mode_t
    let euid = geteuid()
    let egid = getegid()
    var warnedAboutXattrs = false
    var warnedAboutOwnership = false
    private var isFinished = false
    /// Nil with one writer (`RootfsOptions.writers`): every entry inline.
    let pool: WriterPool?
    /// Names (parent identity + name) handed to the pool since it was last idle.
    var pendingNames = Set<Int>()
    var jobSequence = 0

    public init(rootPath: String, options: RootfsOptions = .init()) throws {
        try Self.makeDirectories(rootPath)
        let fd = open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw LayerError.rootUnavailable(path: rootPath, code: errno) }
        self.options = options
        rootFD = fd
        cache = DirectoryCache(resolver: PathResolver(rootFD: fd, forceFallback: options.forceResolveFallback))
        umask = Self.processUmask()
        pool = options.writers > 1 ? WriterPool(workers: options.writers - 1) : nil
    }

    deinit {
        pool?.stop()  // before the descriptors its threads use are closed
        if !isFinished {
            cache.removeAll(restoringTimes: false)
            close(rootFD)
        }
    }

    /// Whether parents are resolved by openat2(RESOLVE_IN_ROOT) (else by the walk).
    var resolvesWithOpenat2: Bool { cache.resolver.usesOpenat2 }

    /// Call after the last layer: closes the cached directories and the rootfs.
    public func finish() throws {
        guard !isFinished else { return }
        settle()
        try rethrowPoolFailure()
        pool?.stop()
        isFinished = true
        applyPendingModes()
        cache.removeAll(restoringTimes: true)
        close(rootFD)
    }

    /// Children before parents, so a parent without search permission
    /// (0444) cannot block the chmod of what lies below it.
    private func applyPendingModes() {
        for (key, mode) in pendingModes.sorted(by: { $0.key.count > $1.key.count }) {
            if key.isEmpty {
                fchmod(rootFD, mode)
                continue
            }
            path.set(key)
            guard let parent = try? cache.directory(path.parent, create: false) else { continue }
            path.withName { name in _ = fchmodat(parent.fd, name, mode, 0) }
        }
        pendingModes.removeAll()
        evictCache(restoringTimes: true)
    }

    // MARK: Layers

    func beginLayer() {
        layerPaths.removeAll()
        whitedOut.removeAll()
        directoryTimes.removeAll()
        madeDirectories.removeAll()
    }

    /// Restores the parents' times, then sets the layer's directory times
    /// (after all their contents); deferred modes wait for `finish`.
    func endLayer() throws {
        evictCache(restoringTimes: true)
        try rethrowPoolFailure()
        cacheIsStale = false
        for (key, deferred) in directoryTimes {
            var times = (deferred.atime, deferred.mtime)
            if let mode = deferred.mode { pendingModes[key] = mode }
            if key.isEmpty {
                _ = withUnsafePointer(to: &times) { $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(rootFD, $0) } }
                continue
            }
            path.set(key)
            guard let parent = try? cache.directory(path.parent, create: false) else { continue }
            path.withName { name in
                _ = withUnsafePointer(to: &times) {
                    $0.withMemoryRebound(to: timespec.self, capacity: 2) {
                        utimensat(parent.fd, name, $0, AT_SYMLINK_NOFOLLOW)
                    }
                }
            }
        }
        // Opened only to reach the directories above; nothing changed them since.
        cache.removeAll(restoringTimes: false)
        directoryTimes.removeAll()
        madeDirectories.removeAll()
    }

    /// Closes the cached parents once no pool thread writes into them.
    func evictCache(restoringTimes: Bool) {
        settle()
        cache.removeAll(restoringTimes: restoringTimes)
    }

    /// Whether this layer made the directory at `key` (so nothing below it is
    /// of a lower layer).
    func isCreatedByLayer(_ key: [UInt8]) -> Bool {
        directoryTimes[key]?.createdByLayer == true || madeDirectories.contains(key)
    }

    /// Remembers the missing parents the resolver just made for `key` (see
    /// `PathResolver.created`); the topmost joins `layerPaths` (with its
    /// ancestors) unless its parent is the layer's, as an entry would, so an
    /// opaque whiteout above keeps it.
    private func noteMade(_ key: [UInt8], _ made: [Int]) {
        guard let top = made.first else { return }
        let parent = key[0..<top].lastIndex(of: UInt8(ascii: "/")) ?? 0
        if !isCreatedByLayer(Array(key[0..<parent])) { layerPaths.insertWithAncestors(key[0..<top]) }
        for length in made { madeDirectories.insert(Array(key[0..<length])) }
    }

    // MARK: Entries

    func apply(_ entry: TarEntry, from reader: TarReader) throws {
        if pool != nil { try rethrowPoolFailure() }
        if cacheIsStale || cache.count > DirectoryCache.limit {
            evictCache(restoringTimes: true)
            cacheIsStale = false
        }
        path.set(entry.path)
        do {
            if path.hasNamePrefix(".wh.") {
                settle()
                try applyWhiteout()
            } else if path.isRoot {
                settle()
                try applyRoot(entry)
            } else {
                try applyEntry(entry, from: reader)
            }
        } catch let failure as Errno {
            settle()
            throw layerError(failure, displayPath: entry.displayPath)
        } catch {
            settle()
            throw error
        }
    }

    private func applyEntry(_ entry: TarEntry, from reader: TarReader) throws {
        switch entry.kind {
        case .characterDevice, .blockDevice, .other:
            return  // As upstream: device nodes are never created.
        default:
            break
        }
        if entry.kind == .hardlink { settle() }  // its target may be pending
        let parent = try cache.directory(
            path.parent, create: true, stepping: pool != nil, step: { settleIfPending(in: $0, name: $1) }, willResolve: settle
        ) { key, made in
            noteMade(key, made)
            return isCreatedByLayer(key)
        }
        if !parent.createdByLayer { layerPaths.insertWithAncestors(path.path) }
        settleIfPending(in: parent)
        switch entry.kind {
        case .regular: try writeFile(entry, in: parent, from: reader)
        case .directory: try makeDirectory(entry, in: parent, from: reader)
        case .symlink: try makeSymlink(entry, in: parent, from: reader)
        case .hardlink: try makeHardlink(entry, in: parent)
        case .fifo: try makeFifo(entry, in: parent, from: reader)
        case .characterDevice, .blockDevice, .other: return
        }
    }

    private func applyRoot(_ entry: TarEntry) throws {
        guard entry.kind == .directory else {
            throw LayerError.invalidEntry(entry: entry.displayPath, reason: "only a directory can stand for the rootfs itself")
        }
        if options.preserveOwnership && (entry.uid != euid || entry.gid != egid) {
            if fchown(rootFD, entry.uid, entry.gid) != 0 { warnOwnership(errno, entry: entry) }
        }
        // As for any directory: without root it stays writable until its contents are in.
        let deferMode = euid != 0 && entry.mode & 0o700 != 0o700
        fchmod(rootFD, deferMode ? (entry.mode | 0o700) : entry.mode)
        directoryTimes[[]] = DeferredDirectory(atime: entry.atime, mtime: entry.mtime, mode: deferMode ? entry.mode : nil)
        pendingModes[[]] = nil
    }

    /// The cached directory at `path`, or nil when it does not exist (or is not a directory).
    func existingDirectory(_ path: ArraySlice<UInt8>) throws(Errno) -> CachedDirectory? {
        do {
            return try cache.directory(path, create: false)
        } catch {
            if error.code == ENOENT || error.code == ENOTDIR { return nil }
            throw error
        }
    }

    enum Existing { case absent, directory, removed }

    /// Clears the current entry's path in `parent` for a new entry. A directory
    /// is kept when `keepingDirectory` (directory onto directory merges).
    @discardableResult
    func removeExisting(in parent: Int32, keepingDirectory: Bool) throws(Errno) -> Existing {
        var info = stat()
        let found = path.withName { fstatat(parent, $0, &info, AT_SYMLINK_NOFOLLOW) }
        if found != 0 {
            if errno == ENOENT { return .absent }
            throw Errno.current("inspect the existing entry")
        }
        switch info.st_mode & 0o170000 {
        case 0o040000:
            if keepingDirectory { return .directory }
            settle()  // pending files may be inside
            try path.withName { name throws(Errno) in try DirectoryTree.remove(name, in: parent) }
            forgetDirectoryTimes(under: path.path)
            cacheIsStale = true
        case let type:
            guard path.withName({ unlinkat(parent, $0, 0) }) == 0 else { throw Errno.current("remove the existing entry") }
            if type == 0o120000 { cacheIsStale = true }
        }
        return .removed
    }

    /// Drops deferred times (and modes) of a removed directory tree, so they
    /// cannot land on whatever is created at those paths later.
    func forgetDirectoryTimes(under removed: ArraySlice<UInt8>) {
        func isUnder(_ key: [UInt8]) -> Bool {
            key.count >= removed.count && key[0..<removed.count].elementsEqual(removed)
                && (key.count == removed.count || key[removed.count] == UInt8(ascii: "/"))
        }
        if !directoryTimes.isEmpty { directoryTimes = directoryTimes.filter { !isUnder($0.key) } }
        if !madeDirectories.isEmpty { madeDirectories = madeDirectories.filter { !isUnder($0) } }
        if !pendingModes.isEmpty { pendingModes = pendingModes.filter { !isUnder($0.key) } }
    }

    // MARK: Errors and warnings

    func layerError(_ failure: Errno, displayPath: String) -> LayerError {
        switch failure.code {
        case ENOTDIR where failure.operation == Errno(code: 0).operation: .notADirectory(entry: displayPath)
        case ELOOP: .symlinkLoop(entry: displayPath)
        default: .filesystem(entry: displayPath, operation: failure.operation, code: failure.code)
        }
    }

    func warnOwnership(_ code: Int32, entry: TarEntry) {
        guard !warnedAboutOwnership else { return }
        warnedAboutOwnership = true
        Self.warn("cannot set ownership of '\(entry.displayPath)' (\(String(cString: strerror(code)))); keeping the extractor's ownership for such entries")
    }

    func warnXattr(_ code: Int32, entry: TarEntry) {
        guard !warnedAboutXattrs else { return }
        warnedAboutXattrs = true
        Self.warn("extended attributes refused by the kernel (\(String(cString: strerror(code))), first at '\(entry.displayPath)'); skipping those")
    }

    static func warn(_ message: String) {
        let line = "warning: \(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    // MARK: Setup

    private static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw LayerError.rootUnavailable(path: path, code: errno)
            }
        }
    }

    /// The umask without changing it (other threads may be creating files).
    private static func processUmask() -> mode_t {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0o777 }  // unknown: always chmod explicitly
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return 0o777 }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("Umask:") {
            let value = line.dropFirst("Umask:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if let mask = mode_t(value, radix: 8) { return mask }
        }
        return 0o777
    }
}
