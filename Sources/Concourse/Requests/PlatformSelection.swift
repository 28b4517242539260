
/// `platform: {os, architecture}` from `source` or `params`: which image of a
/// multi-platform index to use. `architecture` may carry a variant (`arm64/v8`).
public struct PlatformSelection: Equatable, Sendable, JSONObjectReadable {
    public var os: String?
    public var architecture: String?

    public init(os: String?, architecture: String?) {
        self.os = os
        self.architecture = architecture
    }

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        os = try reader.string("os")
        architecture = try reader.string("architecture")
    }
}
