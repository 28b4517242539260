import ResourceCore

extension ResourceVersion: JSONObjectReadable {
    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        self.init(tag: try reader.stringOrNumber("tag"), digest: try reader.requiredString("digest"))
    }
}
