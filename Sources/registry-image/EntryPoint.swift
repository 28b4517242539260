import Foundation
import RegistryImageCLI

/// Concourse runs `/opt/resource/check`, `/opt/resource/in DEST` and
/// `/opt/resource/out SRC`, all links to this binary: the name it was called
/// by picks the command. Run by any other name it is a CLI with subcommands.
@main
enum EntryPoint {
    static func main() {
        let arguments = CommandLine.arguments
        let invokedAs = URL(fileURLWithPath: arguments.first ?? "registry-image").lastPathComponent
        if ["check", "in", "out"].contains(invokedAs) {
            RegistryImageCommand.run([invokedAs] + arguments.dropFirst())
        } else {
            RegistryImageCommand.run(Array(arguments.dropFirst()))
        }
    }
}
