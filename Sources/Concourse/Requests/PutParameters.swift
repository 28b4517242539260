
/// `params:` of a `put` step.
public struct PutParameters: Equatable, Sendable, JSONObjectReadable {
    public var image: String
    public var version: String?
    public var bumpAliases = false
    public var additionalTags: String?
    public var tagPrefix: String?
    public var username: String?
    public var password: String?
    /// `image_source`: the promoted image's registry settings (auth fields of a `source` block).
    public var imageSource: SourceConfiguration?
    /// `platform_merge`: merge the image into the index each tag names.
    public var platformMerge = false
    /// Sign the pushed digest (nil: no signature).
    public var sign: SignParameters?

    public init(image: String) { self.image = image }

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        image = try reader.requiredString("image")
        version = try reader.stringOrNumber("version").flatMap { $0.isEmpty ? nil : $0 }
        bumpAliases = try reader.bool("bump_aliases")
        additionalTags = try reader.string("additional_tags").flatMap { $0.isEmpty ? nil : $0 }
        tagPrefix = try reader.string("tag_prefix").flatMap { $0.isEmpty ? nil : $0 }
        username = try reader.string("username").flatMap { $0.isEmpty ? nil : $0 }
        password = try reader.string("password").flatMap { $0.isEmpty ? nil : $0 }
        imageSource = try ImageSourceField.read(&reader)
        platformMerge = try reader.bool("platform_merge")
        sign = try reader.object("sign", as: SignParameters.self)
        try CloudFields.refuseInParams(&reader)
        if tagPrefix != nil, additionalTags == nil {
            throw .upstreamWording(
                message: "tag_prefix can only be used when additional_tags are specified", field: "params.tag_prefix")
        }
    }
}
