import ArgumentParser

/// The whole command tree: the Concourse entry points and the by-hand tools.
public struct RegistryImageCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
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
            CopySubcommand.self, InspectSubcommand.self, LoginSubcommand.self, LogoutSubcommand.self,
            VerifySubcommand.self, SignSubcommand.self,
        ]
    )

    public init() {}
}
