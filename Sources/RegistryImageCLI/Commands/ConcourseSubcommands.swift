import ArgumentParser
import Concourse
import FoundationEssentials

struct CheckSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Concourse check: read {source, version} on stdin, print the versions found (oldest first)."
    )

    func run() throws {
        try Terminal.answeringRequest { try ConcourseCommands.check(requestJSON: $0) }
    }
}

struct InSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "in",
        abstract: "Concourse in: fetch the version given on stdin into DESTINATION."
    )

    @Argument(help: "The directory to write repository, tag, digest and the image into.")
    var destination: String

    func run() throws {
        try Terminal.answeringRequest { try ConcourseCommands.fetch(requestJSON: $0, destination: destination) }
    }
}

struct OutSubcommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "out",
        abstract: "Concourse out: push params.image (a path under SOURCE) to the repository."
    )

    @Argument(help: "The directory params.image is relative to.")
    var source: String

    func run() throws {
        try Terminal.answeringRequest { try ConcourseCommands.push(requestJSON: $0, sourceDirectory: source) }
    }
}
