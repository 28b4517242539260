import FastExtract
import Foundation

/// `format: oci-layout`: the version's whole index (every platform) or single
/// image as an OCI image layout, plus `single-image-digest` for a single
/// image. Built in a staging directory and renamed into place when complete.
enum LayoutExport {
    static func write(_ image: ResolvedImage, from source: ImageSource, to path: String) throws {
        let destination = URL(fileURLWithPath: path)
        try DestinationGuard.clear(destination.path)
        let staging = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        StagingCleanup.shared.register(staging.path)
        defer { StagingCleanup.shared.unregister(staging.path) }
        do {
            try OCILayoutWriter.copy(from: source, root: image.root, to: staging)
            if image.index == nil {
                try AtomicFile.write(
                    Data(image.root.digest.description.utf8),
                    to: staging.appendingPathComponent("single-image-digest").path)
            }
            try DestinationGuard.clear(destination.path)
            guard rename(staging.path, destination.path) == 0 else {
                throw FileWriteError(path: destination.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }
}
