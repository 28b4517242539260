import FoundationEssentials
import OCIModel

/// The three Concourse entry points, from request bytes to response bytes.
public enum ConcourseCommands {
    public static func check(requestJSON: [UInt8]) throws -> Data {
        let request = try CheckRequest(json: requestJSON)
        return try JSONOutput.encode(try CheckCommand.run(request))
    }

    public static func fetch(requestJSON: [UInt8], destination: String) throws -> Data {
        let request = try InRequest(json: requestJSON)
        return try JSONOutput.encode(try FetchCommand.run(request, destination: destination))
    }

    public static func push(requestJSON: [UInt8], sourceDirectory: String) throws -> Data {
        let request = try OutRequest(json: requestJSON)
        return try JSONOutput.encode(try PushCommand.run(request, sourceDirectory: sourceDirectory))
    }
}
