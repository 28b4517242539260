import FoundationEssentials
import ResourceCore

/// One `{"name": ..., "value": ...}` entry shown in the Concourse UI.
public struct MetadataField: Equatable, Sendable, Encodable {
    public var name: String
    public var value: String
}

/// What `in` and `out` print on stdout.
public struct ResourceResponse: Equatable, Sendable, Encodable {
    public var version: ResourceVersion
    public var metadata: [MetadataField]
}
