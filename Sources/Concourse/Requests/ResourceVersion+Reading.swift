import ResourceCore

extension ResourceVersion {
    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        self.init(tag: try reader.stringOrNumber("tag"), digest: try reader.requiredString("digest"))
    }
}
