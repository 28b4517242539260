import FoundationEssentials
import OCIModel

/// One image chosen from a source, with its documents verified and decoded.
public struct ResolvedImage: Sendable {
    /// What the source named (an index or this very manifest).
    public var root: Descriptor
    /// The root document's original bytes (never re-encoded).
    public var rootData: Data
    /// The root index when the root is one; nil when the root is the manifest.
    public var index: ImageIndex?
    public var manifestDescriptor: Descriptor
    /// The manifest's original bytes.
    public var manifestData: Data
    public var manifest: ImageManifest
    /// The config blob's original bytes.
    public var configData: Data
    public var config: ImageConfig
}
