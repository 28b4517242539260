import OCIModel

/// Applies one OCI layer (an uncompressed tar stream) onto a rootfs.
///
/// Rules (OCI image-spec "Applying Changesets"): `.wh.NAME` removes NAME from
/// lower layers, `.wh..wh..opq` empties its directory of lower-layer content;
/// an entry replaces what is at its path except directory onto directory,
/// which merges; symlinks are replaced, never written through; hardlinks
/// point at paths inside the rootfs. Nothing is created outside the rootfs.
public enum LayerApplier {
    /// Reads a PLAIN (already decompressed) tar stream from `source`, applies
    /// each entry to `writer`, then drains `source` to its end so that a
    /// digest computed by the source covers the whole blob.
    public static func apply(from source: ByteSource, to writer: RootfsWriter) throws {
        let reader = try TarReader(source: source)
        writer.beginLayer()
        do {
            while let entry = try reader.next() {
                try writer.apply(entry, from: reader)
            }
            try writer.endLayer()
        } catch {
            writer.settle()  // no pool thread writes after the caller saw the error
            throw error
        }
        try reader.drainSource()
    }
}
