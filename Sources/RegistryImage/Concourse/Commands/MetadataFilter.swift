/// The metadata fields `label_regex` and `annotation_regex` add: manifest
/// annotations first, then config labels, each sorted by key (as upstream).
enum MetadataFilter {
    static func fields(
        for image: ResolvedImage, labelPattern: String?, annotationPattern: String?
    ) throws -> [MetadataField] {
        var fields: [MetadataField] = []
        if let annotationPattern {
            let regex = try PatternMatcher(annotationPattern, field: "source.annotation_regex")
            fields += matching(image.manifest.annotations ?? [:], regex)
        }
        if let labelPattern {
            let regex = try PatternMatcher(labelPattern, field: "source.label_regex")
            fields += matching(image.config.config?.labels ?? [:], regex)
        }
        return fields
    }

    private static func matching(_ values: [String: String], _ regex: PatternMatcher) -> [MetadataField] {
        values.keys.sorted().filter { regex.matches($0) }.map { MetadataField(name: $0, value: values[$0] ?? "") }
    }
}
