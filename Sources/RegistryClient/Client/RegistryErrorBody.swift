import FoundationEssentials

/// The OCI distribution error body `{"errors":[{"code","message","detail"}]}`,
/// reduced to one line for error messages.
enum RegistryErrorBody {
    private struct Envelope: Decodable {
        struct Entry: Decodable {
            var code: String?
            var message: String?
        }
        var errors: [Entry]?
        // Token servers sometimes answer `{"details": "..."}` or `{"error": "..."}`.
        var details: String?
        var error: String?
    }

    /// Error codes in the body (`MANIFEST_UNKNOWN`, `NAME_UNKNOWN`, …).
    static func codes(in body: Data) -> [String] {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: body) else { return [] }
        return (envelope.errors ?? []).compactMap(\.code)
    }

    /// "CODE: message; CODE: message", a known single-field form, or the
    /// body's first line when it is not JSON; `fallback` when empty.
    static func message(from body: Data, fallback: String) -> String {
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: body) {
            let entries = (envelope.errors ?? []).map { entry in
                [entry.code, entry.message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            }.filter { !$0.isEmpty }
            if !entries.isEmpty { return entries.joined(separator: "; ") }
            if let details = envelope.details ?? envelope.error, !details.isEmpty { return details }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingWhitespace() ?? ""
        return text.isEmpty ? fallback : text
    }
}
