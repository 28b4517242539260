import ImageIO

/// `params:` of a `get` step.
public struct GetParameters: Equatable, Sendable {
    public typealias Format = ImageFormat

    public var format: Format = .rootfs
    public var skipDownload = false
    public var platform: PlatformSelection?
    public var username: String?
    public var password: String?

    public init() {}

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        if let raw = try reader.string("format"), !raw.isEmpty {
            guard let format = Format(rawValue: raw) else {
                let valid = Format.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidValue(field: "params.format", reason: "unknown format '\(raw)' (valid: \(valid))")
            }
            self.format = format
        }
        skipDownload = try reader.bool("skip_download")
        platform = try reader.object("platform", as: PlatformSelection.self)
        username = try reader.string("username").flatMap { $0.isEmpty ? nil : $0 }
        password = try reader.string("password").flatMap { $0.isEmpty ? nil : $0 }
        try CloudFields.refuseInParams(&reader)
    }
}
