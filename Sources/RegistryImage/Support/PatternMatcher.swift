import Foundation

/// A user-supplied regular expression matched the way Go's
/// `regexp.MatchString` does: anywhere in the text, unanchored.
struct PatternMatcher {
    private let expression: NSRegularExpression

    init(_ pattern: String, field: String) throws(RequestError) {
        do {
            expression = try NSRegularExpression(pattern: pattern)
        } catch {
            throw .invalidValue(field: field, reason: "invalid regular expression '\(pattern)'")
        }
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
