
/// `source.registry_mirror`: a pull-through mirror for Docker Hub repositories.
public struct RegistryMirrorSettings: Equatable, Sendable, JSONObjectReadable {
    public var host: String
    public var username: String?
    public var password: String?

    init(reading reader: inout JSONObjectReader) throws(RequestError) {
        host = try reader.requiredString("host")
        username = try reader.string("username")
        password = try reader.string("password")
    }
}
