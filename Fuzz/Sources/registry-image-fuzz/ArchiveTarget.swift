import Foundation
@testable import ImageIO

/// Tarball bytes as `docker-archive:` / `oci-archive:` inputs: the member
/// index (names, sizes, offsets, links), then each source's reading of its
/// manifest. libarchive reads files, so each input is written to a scratch
/// file first (on /dev/shm where it exists).
final class ArchiveTarget: @unchecked Sendable {
    // libFuzzer calls the target from one thread only.
    static let shared = ArchiveTarget()

    private let path: String = {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return directory + "/ri-fuzz-archive-\(getpid()).tar"
    }()

    func run(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("cannot write \(path)")
        }
        defer { unlink(path) }
        if let store = try? TarFileStore(path: path) {
            for name in store.members.keys.prefix(16) { _ = store.size(of: name) }
        }
        if let source = try? DockerArchiveSource(path: path), let root = try? source.rootDescriptor() {
            _ = try? source.manifestData(for: root)
        }
        if let source = try? OCIArchiveSource(path: path), let root = try? source.rootDescriptor() {
            _ = try? source.manifestData(for: root)
        }
    }
}
