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
        var reader = try RequestDecoding.root(json)
        source = try RequestDecoding.source(&reader)
        version = try reader.object("version") { (r: inout JSONObjectReader) throws(RequestError) in
            try ResourceVersion(reading: &r)
        }
        try reader.finish()
    }
}

extension InRequest {
    public init(json: [UInt8]) throws(RequestError) {
        var reader = try RequestDecoding.root(json)
        source = try RequestDecoding.source(&reader)
        guard let version = try reader.object("version", { (r: inout JSONObjectReader) throws(RequestError) in
            try ResourceVersion(reading: &r)
        }) else { throw .missingField("version") }
        self.version = version
        params = try reader.object("params") { (r: inout JSONObjectReader) throws(RequestError) in
            try GetParameters(reading: &r)
        } ?? GetParameters()
        try reader.finish()
    }
}

extension OutRequest {
    public init(json: [UInt8]) throws(RequestError) {
        var reader = try RequestDecoding.root(json)
        source = try RequestDecoding.source(&reader)
        guard let params = try reader.object("params", { (r: inout JSONObjectReader) throws(RequestError) in
            try PutParameters(reading: &r)
        }) else { throw .missingField("params.image") }
        self.params = params
        try reader.finish()
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

    static func source(_ reader: inout JSONObjectReader) throws(RequestError) -> SourceConfiguration {
        guard let source = try reader.object("source", { (r: inout JSONObjectReader) throws(RequestError) in
            try SourceConfiguration(reading: &r)
        }) else { throw .missingField("source.repository") }
        return source
    }
}
