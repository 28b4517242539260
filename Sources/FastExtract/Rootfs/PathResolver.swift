import CLinux
import Glibc

/// Opens directories of the rootfs by path, resolving symlinks as if the
/// rootfs were `/`: an in-rootfs symlink is followed, one that points out
/// (absolute, or with "..") is clamped to the rootfs.
///
/// Fast path: `openat2(RESOLVE_IN_ROOT)`, where the kernel does exactly that.
/// Fallback (kernels before 5.6 answer ENOSYS; Concourse before 7.12 blocks
/// openat2 in seccomp with EPERM; or forced by tests): a component-by-component
/// walk with `O_NOFOLLOW` that reads and follows each symlink itself. The walk
/// also creates missing directories, including under dangling symlinks.
struct PathResolver {
    static let maxSymlinks = 40

    let rootFD: Int32
    private(set) var usesOpenat2: Bool
    /// Lengths of the prefixes of the last opened path that the walk created
    /// (mkdir for a missing parent), shortest first. Only while no symlink was
    /// followed, so each prefix names the directory made; empty otherwise.
    private(set) var created: [Int] = []
    private var scratch: [UInt8] = []

    init(rootFD: Int32, forceFallback: Bool) {
        self.rootFD = rootFD
        var usable = false
        if !forceFallback {
            let fd = ri_openat2(rootFD, ".", UInt64(O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0,
                                RI_RESOLVE_IN_ROOT | RI_RESOLVE_NO_MAGICLINKS)
            if fd >= 0 {
                close(fd)
                usable = true
            }
        }
        usesOpenat2 = usable
        scratch.reserveCapacity(4096)
    }

    /// Opens the directory at the clean relative `path` ("" is the root). The
    /// caller owns the returned descriptor.
    mutating func openDirectory(_ path: ArraySlice<UInt8>, create: Bool) throws(Errno) -> Int32 {
        created.removeAll(keepingCapacity: true)
        if path.isEmpty { return try duplicate(rootFD) }
        if usesOpenat2 {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: path)
            scratch.append(0)
            var attempts = 0
            while true {
                let fd = scratch.withUnsafeBufferPointer {
                    ri_openat2(rootFD, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                               UInt64(O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0,
                               RI_RESOLVE_IN_ROOT | RI_RESOLVE_NO_MAGICLINKS)
                }
                if fd >= 0 { return fd }
                let code = errno
                // EAGAIN: a concurrent rename raced the lookup; the kernel asks to retry.
                if code == EAGAIN && attempts < 64 { attempts += 1; continue }
                // Missing components are created by the walk; ENOSYS / EPERM
                // mean openat2 itself is unavailable here.
                if (code == ENOENT && create) || code == ENOSYS || code == EPERM { break }
                throw Errno(code: code)
            }
        }
        return try walk(path, create: create)
    }

    private func duplicate(_ fd: Int32) throws(Errno) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        if copy < 0 { throw Errno.current("duplicate a directory descriptor") }
        return copy
    }

    private mutating func walk(_ path: ArraySlice<UInt8>, create: Bool) throws(Errno) -> Int32 {
        // Directories below the root, innermost last; the root is implicit.
        var stack: [Int32] = []
        defer { for fd in stack { close(fd) } }
        // Components still to visit, next one last; symlink targets are pushed here.
        var pending: [ArraySlice<UInt8>] = path.split(separator: UInt8(ascii: "/")).reversed()
        var followed = 0
        // Until a symlink or ".." is met, the components walked are a prefix of `path`.
        var lexical = true
        var component: [UInt8] = []
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        while let next = pending.popLast() {
            if next.isEmpty || next.elementsEqual([UInt8(ascii: ".")]) { continue }
            if next.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                lexical = false
                if let fd = stack.popLast() { close(fd) }
                continue
            }
            let current = stack.last ?? rootFD
            component.removeAll(keepingCapacity: true)
            component.append(contentsOf: next)
            component.append(0)
            let fd = component.withUnsafeBufferPointer {
                openat(current, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if fd >= 0 { stack.append(fd); continue }
            let code = errno
            switch code {
            case ELOOP, ENOTDIR:
                let count = component.withUnsafeBufferPointer {
                    readlinkat(current, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self),
                               &target, target.count - 1)
                }
                guard count >= 0 else { throw Errno(code: errno == EINVAL ? ENOTDIR : errno) }
                followed += 1
                lexical = false
                if followed > Self.maxSymlinks { throw Errno(code: ELOOP) }
                let link = target[0..<count].map { UInt8(bitPattern: $0) }
                if link.first == UInt8(ascii: "/") {
                    for fd in stack { close(fd) }
                    stack.removeAll()
                }
                pending.append(contentsOf: link.split(separator: UInt8(ascii: "/")).reversed())
            case ENOENT where create:
                let made = component.withUnsafeBufferPointer {
                    mkdirat(current, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), 0o755)
                }
                if made != 0 && errno != EEXIST { throw Errno.current("create a parent directory") }
                if made == 0 && lexical { created.append(next.endIndex - path.startIndex) }
                pending.append(next)
            default:
                throw Errno(code: code)
            }
        }
        if let innermost = stack.popLast() { return innermost }
        return try duplicate(rootFD)
    }
}
