/// `params.image_source`: how to reach the registry of a promoted image.
/// The same fields as `source` (credentials, cloud logins, `ca_certs`,
/// `insecure`), read by the same parser; the repository comes from the
/// `get` directory, so the block may not name one.
enum ImageSourceField {
    static let key = "image_source"
    /// Stands in for the repository while parsing; `Promotion` sets the real one.
    static let repositoryPlaceholder = "promoted/repository"

    static func read(_ reader: inout JSONObjectReader) throws(RequestError) -> SourceConfiguration? {
        guard let value = reader.value(key) else { return nil }
        let path = reader.path.isEmpty ? key : "\(reader.path).\(key)"
        guard case .object(var members) = value else {
            throw .wrongType(field: path, expected: "object", found: value.typeName)
        }
        if members.contains(where: { $0.key == "repository" }) {
            throw .invalidValue(field: "\(path).repository", reason: "the repository comes from the get directory named by params.image")
        }
        members.insert((key: "repository", value: .string(repositoryPlaceholder)), at: 0)
        var inner = try JSONObjectReader(.object(members), path: path)
        let source = try SourceConfiguration(reading: &inner)
        try inner.finish()
        return source
    }
}
