import FoundationEssentials

/// `Link` header parsing (RFC 8288) for tag-list pagination:
/// `</v2/name/tags/list?n=100&last=x>; rel="next"`.
enum LinkHeader {
    /// The target of the first link with `rel` containing `next`, resolved
    /// against the URL of the response that carried it.
    static func next(in values: [String], relativeTo base: URL) -> URL? {
        for value in values {
            for link in splitLinks(value) {
                guard let open = link.firstIndex(of: "<"), let close = link.firstIndex(of: ">"), open < close else { continue }
                let target = String(link[link.index(after: open)..<close])
                let parameters = link[link.index(after: close)...].split(separator: ";")
                let isNext = parameters.contains { parameter in
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    guard pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "rel" else { return false }
                    let rel = pair[1].trimmingWhitespace().trimming(while: { $0 == "\"" })
                    return rel.lowercased().split(separator: " ").contains("next")
                }
                if isNext, let url = URL(string: target, relativeTo: base) { return url.absoluteURL }
            }
        }
        return nil
    }

    /// Splits on commas outside `<…>` and quotes (URLs may contain commas).
    private static func splitLinks(_ value: String) -> [Substring] {
        var links: [Substring] = []
        var start = value.startIndex
        var inAngle = false
        var inQuote = false
        for index in value.indices {
            switch value[index] {
            case "<" where !inQuote: inAngle = true
            case ">" where !inQuote: inAngle = false
            case "\"" where !inAngle: inQuote.toggle()
            case "," where !inAngle && !inQuote:
                links.append(value[start..<index])
                start = value.index(after: index)
            default: break
            }
        }
        links.append(value[start...])
        return links
    }
}
