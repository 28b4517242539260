import ResourceCore

/// The three requests Concourse sends on stdin.
public struct CheckRequest: Equatable, Sendable {
    public var source: SourceConfiguration
    public var version: ResourceVersion?
}

public struct InRequest: Equatable, Sendable {
    public var source: SourceConfiguration
    public var version: ResourceVersion
    public var params: GetParameters
}

public struct OutRequest: Equatable, Sendable {
    public var source: SourceConfiguration
    public var params: PutParameters
}

extension CheckRequest {
    public init(json: [UInt8]) throws(RequestError) {
        self = try RequestDecoding.request(json) { (source, reader: inout JSONObjectReader) throws(RequestError) in
            CheckRequest(source: source, version: try reader.object("version", as: ResourceVersion.self))
        }
    }
}

extension InRequest {
    public init(json: [UInt8]) throws(RequestError) {
        self = try RequestDecoding.request(json) { (source, reader: inout JSONObjectReader) throws(RequestError) in
            InRequest(
                source: source, version: try reader.object("version", as: ResourceVersion.self, missing: "version"),
                params: try reader.object("params", as: GetParameters.self) ?? GetParameters())
        }
    }
}

extension OutRequest {
    public init(json: [UInt8]) throws(RequestError) {
        self = try RequestDecoding.request(json) { (source, reader: inout JSONObjectReader) throws(RequestError) in
            OutRequest(source: source, params: try reader.object("params", as: PutParameters.self, missing: "params.image"))
        }
    }
}

enum RequestDecoding {
    static func root(_ json: [UInt8]) throws(RequestError) -> JSONObjectReader {
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw .malformedJSON(error.description)
        }
        return try JSONObjectReader(value, path: "")
    }

    /// A request object: its `source`, then what `rest` reads, then no unknown key.
    static func request<Request>(
        _ json: [UInt8], _ rest: (SourceConfiguration, inout JSONObjectReader) throws(RequestError) -> Request
    ) throws(RequestError) -> Request {
        var reader = try root(json)
        let source = try reader.object("source", as: SourceConfiguration.self, missing: "source.repository")
        let request = try rest(source, &reader)
        try reader.finish()
        return request
    }
}
