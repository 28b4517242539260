
/// `source.tag` mode: the tag's current digest, preceded by the cursor's
/// digest when that differs and still exists. A missing tag yields nothing.
struct SingleTagCheck {
    let tag: String

    func versions(cursor: ResourceVersion?, registry: any CheckRegistry) throws -> [ResourceVersion] {
        guard let current = try registry.checkedDigests(for: [tag])[0] else { return [] }
        var result: [ResourceVersion] = []
        // Upstream reports the cursor under the source tag, whatever tag it carried.
        if let cursor, cursor.digest != current, try registry.manifestExists(digest: cursor.digest) {
            result.append(ResourceVersion(tag: tag, digest: cursor.digest))
        }
        result.append(ResourceVersion(tag: tag, digest: current))
        return result
    }
}
