
/// Response header fields in arrival order. Names compare case-insensitively;
/// a name may occur more than once (`WWW-Authenticate`, `Link`).
package struct HTTPHeaders: Sendable, Equatable {
    private(set) var fields: [(name: String, value: String)] = []

    init() {}

    init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    mutating func append(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// The first value for `name`.
    subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    package func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    package static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
