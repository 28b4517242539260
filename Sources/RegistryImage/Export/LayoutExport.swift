import FastExtract
import Foundation

/// `format: oci-layout`, as go-containerregistry's `layout.Write` leaves it
/// for upstream: for an index, `index.json` *is* that index (byte for byte,
/// so it hashes to the version's digest) with every child in `blobs/`; a
/// single image gets a wrapping index plus `single-image-digest`. Built in a
/// staging directory and renamed into place when complete.
enum LayoutExport {
    static func write(root: Descriptor, from source: ImageSource, to path: String) throws {
        try StagedDirectory.build(at: path) { staging in
            if MediaType.isIndex(root.mediaType) {
                let data = try source.manifestData(for: root)
                guard case .index(let index) = try ImageResolver.decode(data, descriptor: root) else {
                    throw ImageError.model(.malformed(what: "index \(root.digest)", detail: "not an image index"))
                }
                let writer = try OCILayoutWriter(directory: staging)
                for child in index.manifests { try writer.copy(child, from: source) }
                try writer.finish(rawIndex: data)
            } else {
                try OCILayoutWriter.copy(from: source, root: root, to: staging)
                try AtomicFile.write(
                    Data(root.digest.description.utf8),
                    to: staging.appendingPathComponent(OCILayout.singleImageDigestFile).path)
            }
        }
    }
}
