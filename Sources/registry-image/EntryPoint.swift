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
            run([invokedAs] + arguments.dropFirst())
        } else {
            run(Array(arguments.dropFirst()))
        }
    }

    /// As `ParsableCommand.main`, but a usage error exits 2 (as getopt tools
    /// and the README promise), not ArgumentParser's 64: 0 ok, 1 error, 2 usage.
    static func run(_ arguments: [String]) -> Never {
        do {
            var command = try RegistryImageCommand.parseAsRoot(arguments)
            try command.run()
            RegistryImageCommand.exit()
        } catch {
            let code = RegistryImageCommand.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((RegistryImageCommand.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            RegistryImageCommand.exit(withError: error)
        }
    }
}

/// The process's exit statuses.
enum ExitStatus {
    static let usage: Int32 = 2
}

struct RegistryImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry-image",
        abstract: "A Concourse resource for OCI and Docker registries, and a tool to pull, push and unpack images.",
        discussion: """
        Concourse calls it as /opt/resource/check, /opt/resource/in DEST and /opt/resource/out SRC \
        (links to this binary) with a JSON request on stdin; the same commands are subcommands here.

        Images are named with skopeo's transports: docker://REF, oci:DIR[:TAG], docker-archive:FILE[:NAME:TAG], \
        oci-archive:FILE[:TAG], dir:DIR (and rootfs:DIR as a destination). Credentials for the by-hand commands: \
        --username/--password, then REGISTRY_USERNAME/REGISTRY_PASSWORD, then the auth files `login` writes.

        Exit status: 0 success, 1 error (one "error:" line on stderr), 2 usage error.
        Shell completions: registry-image --generate-completion-script bash|zsh|fish.
        """,
        subcommands: [
            CheckSubcommand.self, InSubcommand.self, OutSubcommand.self,
            ExtractSubcommand.self, PullSubcommand.self, PushSubcommand.self, TagsSubcommand.self,
            InspectSubcommand.self, LoginSubcommand.self, LogoutSubcommand.self,
        ]
    )
}
