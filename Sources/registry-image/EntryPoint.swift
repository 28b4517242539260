import ArgumentParser
import Foundation
import RegistryImage

/// Concourse runs `/opt/resource/check`, `/opt/resource/in DEST` and
/// `/opt/resource/out SRC`, all links to this binary: the name it was called
/// by picks the command. Run by any other name it is a CLI with subcommands.
@main
enum EntryPoint {
    static func main() {
        let arguments = CommandLine.arguments
        let invokedAs = URL(fileURLWithPath: arguments.first ?? "registry-image").lastPathComponent
        if ["check", "in", "out"].contains(invokedAs) {
            RegistryImageCommand.main([invokedAs] + arguments.dropFirst())
        } else {
            RegistryImageCommand.main()
        }
    }
}

struct RegistryImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry-image",
        abstract: "A Concourse resource for OCI and Docker registries, and a tool to pull, push and unpack images.",
        discussion: """
        Concourse calls it as /opt/resource/check, /opt/resource/in DEST and /opt/resource/out SRC \
        (links to this binary) with a JSON request on stdin; the same commands are subcommands here.
        """,
        subcommands: [
            CheckSubcommand.self, InSubcommand.self, OutSubcommand.self,
            ExtractSubcommand.self, PullSubcommand.self, PushSubcommand.self, TagsSubcommand.self,
            LoginSubcommand.self, LogoutSubcommand.self,
        ]
    )
}
