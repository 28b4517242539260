/// The metadata fields `label_regex` and `annotation_regex` add: manifest
/// annotations first, then config labels, each sorted by key (as upstream).
enum MetadataFilter {
    static func fields(
        for image: ResolvedImage, labelPattern: String?, annotationPattern: String?
    ) throws -> [MetadataField] {
        var fields: [MetadataField] = []
        if let annotationPattern {
            let regex = try pattern(annotationPattern, field: "source.annotation_regex")
            fields += matching(image.manifest.annotations ?? [:], regex)
        }
        if let labelPattern {
            let regex = try pattern(labelPattern, field: "source.label_regex")
            fields += matching(image.config.config?.labels ?? [:], regex)
        }
        return fields
    }

    /// Compiled like `tag_regex` (Go's unanchored matching), with the error
    /// naming the field.
    private static func pattern(_ text: String, field: String) throws(RequestError) -> TagPattern {
        do {
            return try TagPattern(text)
        } catch {
            throw .invalidValue(field: field, reason: "invalid regular expression '\(text)'")
        }
    }

    private static func matching(_ values: [String: String], _ regex: TagPattern) -> [MetadataField] {
        values.keys.sorted().filter { regex.matches($0) }.map { MetadataField(name: $0, value: values[$0] ?? "") }
    }
}
