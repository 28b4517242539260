import ImageIO
import ResourceCore

/// The metadata fields `label_regex` and `annotation_regex` add: manifest
/// config labels first, then manifest annotations, each sorted by key (as
/// upstream's `enrichMetadataFromImage`).
/// Patterns are compiled before anything is downloaded, so a bad one fails fast.
struct MetadataFilter {
    private let labels: TagPattern?
    private let annotations: TagPattern?

    init(labelPattern: String?, annotationPattern: String?) throws(RequestError) {
        labels = try labelPattern.map { text throws(RequestError) in try Self.pattern(text, field: "source.label_regex") }
        annotations = try annotationPattern.map { text throws(RequestError) in
            try Self.pattern(text, field: "source.annotation_regex")
        }
    }

    /// Whether any pattern is set (then even `skip_download` reads the
    /// manifest and config, as upstream does).
    var isActive: Bool { labels != nil || annotations != nil }

    func fields(for image: ResolvedImage) -> [MetadataField] {
        var fields: [MetadataField] = []
        if let labels { fields += Self.matching(image.config.config?.labels ?? [:], labels) }
        if let annotations { fields += Self.matching(image.manifest.annotations ?? [:], annotations) }
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
