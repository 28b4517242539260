import ArgumentParser

/// The whole command tree: the Concourse entry points and the by-hand tools.
public struct RegistryImageCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "registry-image",
        abstract: "A Concourse resource for OCI and Docker registries, and a tool to pull, push and unpack images.",
        discussion: """
        Concourse calls it as /opt/resource/check, /opt/resource/in DEST and /opt/resource/out SRC \
        (links to this binary) with a JSON request on stdin; the same commands are subcommands here.
        """,
        subcommands: [
            CheckSubcommand.self, InSubcommand.self, OutSubcommand.self,
            ExtractSubcommand.self, PullSubcommand.self, PushSubcommand.self, TagsSubcommand.self,
        ]
    )

    public init() {}
}
