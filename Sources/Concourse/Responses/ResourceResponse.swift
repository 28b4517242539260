import FoundationEssentials
import ResourceCore

/// One `{"name": ..., "value": ...}` entry shown in the Concourse UI.
public struct MetadataField: Equatable, Sendable, Encodable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What `in` and `out` print on stdout.
public struct ResourceResponse: Equatable, Sendable, Encodable {
    public var version: ResourceVersion
    public var metadata: [MetadataField]

    public init(version: ResourceVersion, metadata: [MetadataField]) {
        self.version = version
        self.metadata = metadata
    }
}
