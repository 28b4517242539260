import FastExtract
import Foundation

/// `format: oci-layout`: the version's whole index (every platform) or single
/// image as an OCI image layout, plus `single-image-digest` for a single
/// image. Built in a staging directory and renamed into place when complete.
enum LayoutExport {
    static func write(root: Descriptor, from source: ImageSource, to path: String) throws {
        try StagedDirectory.build(at: path) { staging in
            try OCILayoutWriter.copy(from: source, root: root, to: staging)
            if !MediaType.isIndex(root.mediaType) {
                try AtomicFile.write(
                    Data(root.digest.description.utf8),
                    to: staging.appendingPathComponent("single-image-digest").path)
            }
        }
    }
}
