
/// The settings of a `put` that decide which tags are pushed.
public struct OutTagRequest: Sendable, Equatable {
    /// `source.tag`, always pushed when set.
    public var sourceTag: String?
    /// `source.variant`, appended as `-<variant>` to version tags.
    public var variant: String?
    /// `params.version`, pushed normalised (`v1.2` → `1.2.0`).
    public var version: String?
    /// `params.bump_aliases`: also push MAJOR.MINOR, MAJOR and latest when newest.
    public var bumpAliases: Bool
    /// Contents of the `params.additional_tags` file (whitespace-separated tags).
    public var additionalTags: String?
    /// `params.tag_prefix`, prepended to each additional tag.
    public var tagPrefix: String?

    public init(sourceTag: String? = nil, variant: String? = nil, version: String? = nil,
                bumpAliases: Bool = false, additionalTags: String? = nil, tagPrefix: String? = nil) {
        self.sourceTag = sourceTag
        self.variant = variant
        self.version = version
        self.bumpAliases = bumpAliases
        self.additionalTags = additionalTags
        self.tagPrefix = tagPrefix
    }
}
